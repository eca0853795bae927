//go:build tools

// Package tools pins the substitute integrations/github provider's main package.
package tools

import _ "github.com/integrations/terraform-provider-github/v6"
