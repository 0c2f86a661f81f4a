"""The edges every capability's routes and commands share: the calling principal and JSON
answers, problem+json, exit codes, FILE|- input. Uses the platform and the text core's masks."""
