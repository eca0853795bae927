// Wrapper module that pins integrations/github 6.9.0.
module sparky-infra/tools/toolchain/provider-github

go 1.24

require github.com/integrations/terraform-provider-github/v6 v6.9.0
