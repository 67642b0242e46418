"""The integration stage: apply each example to a target (moto or a sandbox account), verify with boto3
what AWS reports, check runtime permissions and resource scoping, re-plan for drift, destroy, and check
that nothing is left. flow.py is the order of things; each other module does one part."""
