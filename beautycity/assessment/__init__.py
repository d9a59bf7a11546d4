"""The scoring engine and its rules, the assessment document, and the robustness analysis."""
