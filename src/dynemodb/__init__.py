"""dynemoDB: the ingestion ledger's Terraform module harness and runtime client."""
