"""The pages, by audience: `officer` (a unit's uploads), `board` (the evaluators' year),
`results` (published results for leaders and units), `accounts` (sign-in, API keys)."""
