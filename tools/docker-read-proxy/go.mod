module sparky-infra/docker-read-proxy

go 1.22
