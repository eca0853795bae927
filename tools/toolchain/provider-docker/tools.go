//go:build tools

// Package tools pins the kreuzwerker/docker provider's main package.
package tools

import _ "github.com/terraform-providers/terraform-provider-docker"
