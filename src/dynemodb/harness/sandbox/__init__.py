"""The sandbox stage: the integration flow against a real, allow-listed AWS account (run), and removing
what old runs left behind there (sweep). `python -m dynemodb.harness.sandbox run|sweep`."""
