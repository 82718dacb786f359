// Package tclext is the Tcl face of the package: the tls::* commands,
// option parsing and validation, the status builders, the context cache,
// and the script part of the package (tls.tcl) embedded in the binary.
package tclext

import (
	_ "embed"

	"github.com/tclgo/tls/channel"
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/internal/version"
)

// Version is the package version that `package require tls` gives.
const Version = version.Tcl

//go:embed tls.tcl
var script string

// commands are the Go commands of the package.
var commands = map[string]tcl.CmdFunc{
	"::tls::import":    cmdImport,
	"::tls::starttls":  cmdImport,
	"::tls::unimport":  cmdUnimport,
	"::tls::unstack":   cmdShutdown,
	"::tls::shutdown":  cmdShutdown,
	"::tls::handshake": cmdHandshake,
	"::tls::identity":  cmdIdentity,
	"::tls::status":    cmdStatus,
	"::tls::version":   cmdVersion,
	"::tls::_check":    cmdCheck,
	"::tls::_options":  cmdOptions,
	"::tls::_connect":  cmdConnect,
	"::tls::_start":    cmdStart,
}

func init() {
	tcl.SetChannelTypeName(channel.TypeName)
}

// Init adds the package to an interpreter: the commands, the script part,
// and `package provide tls`.
func Init(interp tcl.Interp) error {
	for name, fn := range commands {
		interp.CreateCommand(name, fn)
	}
	initTestCommands(interp)
	if interp.Eval(script, tcl.EvalGlobal) != tcl.OK {
		return interp.Err()
	}
	return interp.PkgProvide("tls", Version)
}
