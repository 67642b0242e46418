"""The policy gate: custom (policies/) and built-in Checkov checks over the module, the examples and every plan
scenario, with SARIF, JUnit XML and a human summary. `python -m dynemodb.harness.policy gate`."""
