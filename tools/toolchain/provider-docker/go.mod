// Wrapper module that pins kreuzwerker/docker 3.6.2 (tag v3.6.2 = commit 2f20f8c3ce82).
// At that tag the provider's go.mod still names the pre-move module path
// github.com/terraform-providers/terraform-provider-docker (no /v3), so it is
// required under that path and replaced by the kreuzwerker repository at the
// tag's commit. The go command rewrites the commit to its canonical
// pseudo-version (GOFLAGS=-mod=mod) the first time the proxy serves it.
module sparky-infra/tools/toolchain/provider-docker

go 1.24

require github.com/terraform-providers/terraform-provider-docker v0.0.0

replace github.com/terraform-providers/terraform-provider-docker => github.com/kreuzwerker/terraform-provider-docker 2f20f8c3ce82
