"""Custom Checkov checks of the dynemoDB ledger (CKV_MC_*). Checkov loads a directory of Python checks only
when it holds an ``__init__.py``: keep this file."""
