"""The integration stage: apply each example to a target (moto or a sandbox account), verify with boto3
what AWS reports, check runtime permissions and resource scoping, re-plan for drift, destroy, and check
that nothing is left.

cli.py         `python -m dynemodb.harness.integration run`: the moto run from the command line
run.py         the order of things (`run`), and Batch: every root of a run, each step for all at once
deployment.py  one root staged for one target (run ids, names, tags) and its terraform commands
control.py     signals -> cancellation, and terraform as a child process that stops gracefully
target.py      moto or a sandbox: provider override, environment, clients, runtime-permission strategy
expected.py    what AWS must report for each example, written out independently of the module
verify.py      what AWS reports against expected.py, one line per problem
iam.py         policy documents, the evaluator, the allow/refuse probes (evaluator and simulator)
cleanup.py     finding and deleting by tag: reaping after destroy, leftovers, the sandbox sweep's finder
report.py      the run report: problems by phase, timings, summary
"""
