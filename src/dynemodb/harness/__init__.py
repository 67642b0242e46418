"""The compliance harness: plans, policies, emulator and sandbox runs. Never imported by the runtime client."""
