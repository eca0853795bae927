module sparky-infra/images/standin

go 1.26
