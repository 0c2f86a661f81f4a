"""The edges own what every capability's routes and commands share: the calling principal and
JSON answers, problem+json, the command runtime, exit codes, FILE|- input. They may use the
platform and the text core (error details are masked with its PII masks)."""
