module sparky-infra/images/postgres/entrypoint

go 1.26
