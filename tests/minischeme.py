"""A small, valid scheme as YAML text, for tests that break it one way at a time.

Line numbers matter: tests assert the exact line a problem points at, so edit with care.
"""

MINI_SCHEME = """\
id: mini
version: "0.1"
name: {zh: 小体系, en: Mini scheme}
description: {zh: 测试用, en: For tests}
years: {first: 2023, last: 2035}
target_year: 2027
weights: {dimensions: 100, indicators: 100}
dimensions:
  - id: air
    code: A
    name: {zh: 空气, en: Air}
    description: {zh: 空气质量, en: Air quality}
    weight: 60
  - id: water
    code: B
    name: {zh: 水, en: Water}
    description: {zh: 水环境, en: Water}
    weight: 40
positionings:
  - id: hub
    name: {zh: 核心, en: Hub}
    description: {zh: 核心城市, en: Hub city}
  - id: showcase
    name: {zh: 示范, en: Showcase}
    description: {zh: 示范城市, en: Showcase}
    targets:
      pm25:
        2027: 22
indicators:
  - id: pm25
    code: A1
    name: {zh: PM2.5年均浓度, en: PM2.5 annual mean}
    unit: {zh: 微克/立方米, en: μg/m³, symbol: μg/m³}
    definition: {zh: 年均浓度, en: Annual mean}
    source: {zh: 生态环境状况公报, en: Environment bulletin}
    provenance: {kind: seed, ref: {zh: 规划, en: Plan}}
    dimension: air
    direction: lower
    kind: binding
    targets:
      2027: 27
      2035: 25
    scoring: {method: distance_to_target, floor: 50}
    weight: 100
    input: {type: number, min: 0, max: 300, decimals: 1}
    department: {zh: 生态环境局, en: Ecology bureau}
  - id: water_good
    code: B1
    name: {zh: 优良水体比例, en: Good water ratio}
    unit: {zh: "%", en: "%", symbol: "%"}
    definition: {zh: 比例, en: Ratio}
    source: {zh: 公报, en: Bulletin}
    provenance: {kind: seed, ref: {zh: 规划, en: Plan}}
    dimension: water
    direction: higher
    kind: expected
    targets:
      2027: 85
    scoring: {method: distance_to_target, floor: 50}
    weight: 100
    input: {type: percent, min: 0, max: 100}
    department: {zh: 生态环境局, en: Ecology bureau}
  - id: incident
    code: B2
    name: {zh: 重大事件, en: Major incident}
    unit: {zh: 是/否, en: yes/no}
    definition: {zh: 是否发生, en: Whether one occurred}
    source: {zh: 台账, en: Records}
    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}
    dimension: water
    direction: lower
    kind: binding
    targets: {2027: 0}
    scoring: {method: yesno}
    weight: 10
    input: {type: yesno, min: 0, max: 1, decimals: 0}
    department: {zh: 生态环境局, en: Ecology bureau}
    positionings: [showcase]
    veto:
      op: ">="
      value: 1
      effect: cap
      cap_grade: good
      reason: {zh: 不得评为优秀, en: Cannot be excellent}
grades:
  - {id: excellent, name: {zh: 优秀, en: Excellent}, min: 90}
  - {id: good, name: {zh: 良好, en: Good}, min: 80}
  - {id: pass, name: {zh: 合格, en: Pass}, min: 60}
  - {id: fail, name: {zh: 不合格, en: Fail}, min: 0}
"""
