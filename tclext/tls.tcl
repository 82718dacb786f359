# tls.tcl --
#
#	The script part of the tls package: tls::socket and tls::init on top
#	of tls::import, the accept wrapper for servers, and logging.
#
#	Also the sample callbacks of the manual: tls::callback (-command),
#	tls::validate_command (-validatecommand) and tls::password, the
#	default of -password.  tls::debug raises their verbosity; above 0
#	tls::validate_command accepts every certificate.
#
#	Choosing a certificate by server name: while a hello or sni callback
#	of a server's -validatecommand runs, the command
#
#	    tls::identity ?-certfile file? ?-keyfile file? ?-cert der? ?-key der?
#
#	makes that connection present another certificate and key (all
#	other settings stay those of its tls::import).  Outside such a
#	callback it raises an error.  For example:
#
#	    proc pick {what chan name args} {
#		if {$what in {hello sni} && $name eq "other.example"} {
#		    tls::identity -certfile other.pem -keyfile other.key
#		}
#		return 1
#	    }
#	    tls::socket -server accept -certfile main.pem -vcmd pick 443

namespace eval ::tls {
    variable debug 0
    variable logcmd tclLog
    variable defaults {}
    if {![info exists socketCmd]} {
	variable socketCmd ::socket
    }

    # Options tls::socket handles itself, with the mode they belong to
    # (client, server or both) and whether they take a value.
    variable socketOptions {
	-async		{client 0}
	-autoservername	{both 1}
	-myaddr		{both 1}
	-myport		{client 1}
    }

    # The options of tls::import that tls::socket passes on: all but
    # -server (tls::socket's own) and -model (there is no channel to
    # share a context with yet).  Aliases are accepted but not listed.
    variable importOptions [lmap opt [::tls::_options] {
	if {$opt in {-model -server}} continue
	set opt
    }]
    variable importAliases {-ciphers -vcmd -security_level}
}

# tls::log --
#
#	Send a message to the log command when level is at most tls::debug.

proc ::tls::log {level msg} {
    variable debug
    variable logcmd

    if {$level > $debug || $logcmd eq ""} {
	return
    }
    uplevel #0 $logcmd [list $msg]
}

# tls::ValidOptions --
#
#	Returns the sorted options tls::socket takes in mode (client or
#	server); tls::init (mode any) takes those valid in both modes.

proc ::tls::ValidOptions {mode} {
    variable socketOptions
    variable importOptions

    set valid $importOptions
    dict for {opt spec} $socketOptions {
	set where [lindex $spec 0]
	if {$where eq "both" || $where eq $mode} {
	    lappend valid $opt
	}
    }
    return [lsort $valid]
}

# tls::SplitOptions --
#
#	Walk the options of tls::socket or tls::init. Socket options go to
#	sockVar, everything else to importVar (whose values tls::import's
#	own parser checks later). An unknown option is an error listing the
#	options of the mode, before any check of a missing value. Returns
#	the index of the first word that is not an option.

proc ::tls::SplitOptions {mode arglist sockVar importVar autoVar} {
    variable socketOptions
    variable importOptions
    variable importAliases
    upvar 1 $sockVar sopts $importVar iopts $autoVar auto

    set n [llength $arglist]
    for {set i 0} {$i < $n} {incr i} {
	set opt [lindex $arglist $i]
	if {![string match -* $opt]} {
	    break
	}
	if {[dict exists $socketOptions $opt]} {
	    lassign [dict get $socketOptions $opt] where hasValue
	    if {$where ne "both" && $where ne $mode} {
		if {$mode eq "any"} {
		    return -code error "bad option \"$opt\": not valid in\
			    tls::init defaults"
		}
		BadOption $mode $opt
	    }
	    if {!$hasValue} {
		lappend sopts $opt
		continue
	    }
	} elseif {$opt ni $importOptions && $opt ni $importAliases} {
	    BadOption $mode $opt
	}
	if {$i + 1 >= $n} {
	    return -code error "\"$opt\" option must be followed by value"
	}
	set value [lindex $arglist [incr i]]
	switch -exact -- $opt {
	    -autoservername {
		if {![string is boolean -strict $value]} {
		    return -code error "expected boolean value but got \"$value\""
		}
		set auto $value
	    }
	    -myaddr - -myport {
		lappend sopts $opt $value
	    }
	    default {
		lappend iopts $opt $value
	    }
	}
    }
    return $i
}

# tls::BadOption --
#
#	Raises the error for an option tls::socket does not take in mode.

proc ::tls::BadOption {mode opt} {
    if {$mode eq "any"} {
	set mode server
    }
    return -code error -errorcode [list TCL LOOKUP INDEX option $opt] \
	    "bad option \"$opt\": must be one of [join [ValidOptions $mode] {, }]"
}

# tls::socket --
#
#	Like ::socket, with the options of tls::import. Clients get a TLS
#	channel whose handshake starts on first use; servers call the
#	callback with channels that are already TLS channels.

proc ::tls::socket {args} {
    variable defaults
    variable socketCmd

    set server 0
    set idx [lsearch -exact $args -server]
    if {$idx >= 0} {
	if {$idx + 1 >= [llength $args]} {
	    return -code error "wrong # args: should be\
		    \"tls::socket -server command ?options? port\""
	}
	set server 1
	set callback [lindex $args [expr {$idx + 1}]]
	set args [lreplace $args $idx [expr {$idx + 1}]]
    }
    set mode [expr {$server ? "server" : "client"}]
    set sopts {}
    set iopts [list -server $server]
    # As in TclTLS 2.0, a client sends the host as SNI unless told
    # otherwise (tls::_connect never sends an IP address there, and checks
    # the certificate against the host either way).
    set auto 1
    set args [concat $defaults $args]
    set i [SplitOptions $mode $args sopts iopts auto]
    set rest [lrange $args $i end]

    if {$server} {
	if {[llength $rest] != 1} {
	    return -code error "wrong # args: should be\
		    \"tls::socket -server command ?options? port\""
	}
	::tls::_check {*}$iopts
	return [{*}$socketCmd -server [list ::tls::_accept $iopts $callback] \
		{*}$sopts [lindex $rest 0]]
    }

    if {[llength $rest] != 2} {
	return -code error "wrong # args: should be\
		\"tls::socket ?options? host port\""
    }
    lassign $rest host port
    if {$auto && [lsearch -exact $iopts -servername] < 0} {
	lappend iopts -servername $host
    }
    # Options are checked and the context prepared before connecting.
    return [::tls::_connect $socketCmd $sopts $host $port {*}$iopts]
}

# tls::_failed --
#
#	Called when a channel's handshake fails. Tcl's http package (2.9 and
#	later) reports an error registered for a socket as the reason of a
#	failed request.

proc ::tls::_failed {chan msg} {
    if {[namespace which -command ::http::registerError] ne ""} {
	::http::registerError $chan $msg
    }
    return
}

# tls::_accept --
#
#	The accept command of a tls::socket server: make the new connection
#	a TLS channel, then hand it to the user's callback. A failure closes
#	that connection only.

proc ::tls::_accept {iopts callback chan ipaddr port} {
    variable debug
    # Every connection comes through here: the log line is only built
    # when it will be written.
    if {$debug >= 2} {
	log 2 [list tls::_accept [Redacted $iopts] $callback $chan $ipaddr $port]
    }
    if {[catch {::tls::import $chan {*}$iopts} msg opts]} {
	catch {close $chan}
	log 1 "tls::_accept error: $msg"
	return -options $opts $msg
    }
    if {[catch {uplevel #0 $callback [list $chan $ipaddr $port]} msg opts]} {
	log 1 "tls::_accept error: [dict get $opts -errorinfo]"
	catch {close $chan}
	return -options $opts $msg
    }
    # The client's hello has usually arrived with the connection: take the
    # first handshake step now rather than after another pass through the
    # event loop.
    ::tls::_start $chan
    return
}

# tls::Redacted --
#
#	Returns the option list iopts fit for a log: the -password script
#	(which may hold the pass phrase itself) and the -key data are
#	replaced by a placeholder.

proc ::tls::Redacted {iopts} {
    set out {}
    foreach {opt value} $iopts {
	if {$opt in {-password -key}} {
	    set value (hidden)
	}
	lappend out $opt $value
    }
    return $out
}

# tls::init --
#
#	Set the default options of tls::socket; with no arguments, clear
#	them. Returns the new defaults.

proc ::tls::init {args} {
    variable defaults
    variable socketOptions

    set sopts {}
    set iopts {}
    set auto 0
    set i [SplitOptions any $args sopts iopts auto]
    if {$i < [llength $args]} {
	return -code error "bad option \"[lindex $args $i]\": tls::init takes\
		only options"
    }
    ::tls::_check {*}$iopts
    set defaults $args
    return $defaults
}

# tls::misc --
#
#	TclTLS 2.0.1's helper for test certificates:
#
#	    tls::misc req keysize keyfile certfile ?info?
#	    tls::misc strreq keysize keyVar certVar ?info?
#
#	makes a new RSA key of keysize bits and a certificate for it signed
#	by itself, and writes both in PEM to the files keyfile (readable by
#	its owner only) and certfile, or (strreq) into the variables keyVar
#	and certVar.  info is a list of names and values: days (365 unless
#	given), serial (random unless given), and the subject's C, ST, L, O,
#	OU, CN and Email.  Returns an empty string.

proc ::tls::misc {args} {
    if {[llength $args] < 1} {
	return -code error -errorcode {TCL WRONGARGS} \
		"wrong # args: should be \"tls::misc subcommand ?args?\""
    }
    set args [lassign $args sub]
    if {$sub ni {req strreq}} {
	return -code error -errorcode [list TCL LOOKUP INDEX command $sub] \
		"bad command \"$sub\": must be req or strreq"
    }
    if {[llength $args] < 3 || [llength $args] > 4} {
	set what [expr {$sub eq "req" ? "keyfile certfile" : "keyVar certVar"}]
	return -code error -errorcode {TCL WRONGARGS} \
		"wrong # args: should be \"tls::misc $sub keysize $what ?info?\""
    }
    lassign $args keysize keyout certout
    lassign [::tls::_selfsigned $keysize {*}[lrange $args 3 end]] key cert
    if {$sub eq "strreq"} {
	upvar 1 $keyout keyVar $certout certVar
	set keyVar $key
	set certVar $cert
	return
    }
    foreach {file data perms} [list $keyout $key 0600 $certout $cert 0644] {
	set f [open $file {WRONLY CREAT TRUNC} $perms]
	if {[catch {
	    fconfigure $f -translation lf -encoding ascii
	    puts -nonewline $f $data
	    close $f
	} msg opts]} {
	    catch {close $f}
	    return -options $opts $msg
	}
    }
    return
}

# tls::callback --
#
#	Sample -command callback: logs errors (level 0), handshake progress
#	and new sessions (level 2), and protocol messages (level 3).  Also
#	keeps the last major state of each channel in the array
#	::tls::<channel>.

proc ::tls::callback {option args} {
    switch -exact -- $option {
	error {
	    lassign $args chan msg
	    log 0 "TLS/$chan: error: $msg"
	}
	info {
	    lassign $args chan major minor msg type
	    set ::tls::${chan}(major) $major
	    if {$type eq "info"} {
		log 2 "TLS/$chan: $major/$minor: $msg"
	    } else {
		log 2 "TLS/$chan: $major/$minor: $msg ($type)"
	    }
	}
	message {
	    lassign $args chan direction version type msg
	    log 3 "TLS/$chan: message: $direction $version $type: $msg"
	}
	session {
	    lassign $args chan sessionId ticket lifetime
	    log 2 "TLS/$chan: session: id [binary encode hex $sessionId],\
		    [string length $ticket] byte ticket, lifetime $lifetime"
	}
	default {
	    return -code error "bad option \"$option\": must be one of error,\
		    info, message, or session"
	}
    }
    return
}

# tls::validate_command --
#
#	Sample -validatecommand callback: logs every form and keeps
#	OpenSSL's verdict on certificates, except that with tls::debug above
#	0 every certificate is accepted.  Server names and ALPN protocols
#	are accepted.

proc ::tls::validate_command {option args} {
    variable debug

    switch -exact -- $option {
	verify {
	    lassign $args chan depth cert status err
	    set subject ""
	    if {[dict exists $cert subject]} {
		set subject [dict get $cert subject]
	    }
	    if {$status} {
		log 2 "TLS/$chan: verify/$depth: $subject"
	    } else {
		log 1 "TLS/$chan: verify/$depth: bad certificate $subject: $err"
	    }
	    if {$debug > 0} {
		return 1
	    }
	    return $status
	}
	alpn - hello - sni {
	    lassign $args chan value
	    log 2 "TLS/$chan: $option: $value"
	    return 1
	}
	default {
	    return -code error "bad option \"$option\": must be one of alpn,\
		    hello, sni, or verify"
	}
    }
}

# tls::_password --
#
#	Runs the -password script cmd (or tls::password) at global level for
#	the package: a result given with return counts as a normal one, and
#	break, continue or another code is an error that does not show the
#	result, which could be the pass phrase.  A callback that can take
#	three more words (see PasswordTakesArgs) is called with TclTLS
#	2.0.1's arguments, "password rwflag size"; any other with none, as in
#	TclTLS 1.7 and the 2023 manual.

proc ::tls::_password {cmd rwflag size} {
    if {[PasswordTakesArgs $cmd]} {
	lappend cmd password $rwflag $size
    }
    set code [catch {uplevel #0 $cmd} result opts]
    if {$code == 2 && [dict get $opts -level] == 1} {
	set code [dict get $opts -code]
    }
    switch -exact -- $code {
	0 {
	    return $result
	}
	1 {
	    return -options [dict incr opts -level] $result
	}
    }
    return -code error "script returned code $code"
}

# tls::PasswordTakesArgs --
#
#	Whether the -password callback cmd, a command prefix, accepts three
#	more words.  Only a procedure (reached directly, through an imported
#	name or through interpreter aliases) or an apply lambda can say: its
#	argument list must take the words the prefix already has plus three.
#	Anything else (a script such as {return secret}, a command written in
#	C, an ensemble, an object) gets no arguments.

proc ::tls::PasswordTakesArgs {cmd} {
    if {[catch {lrange $cmd 0 end} words] || [llength $words] == 0} {
	return 0
    }
    # Follow interpreter aliases, whose targets may add words of their own.
    for {set hops 0} {$hops < 16} {incr hops} {
	set name [lindex $words 0]
	if {[catch {interp alias {} $name} target] || $target eq ""} {
	    break
	}
	set words [concat $target [lrange $words 1 end]]
    }
    set name [lindex $words 0]
    set given [expr {[llength $words] - 1 + 3}]
    if {$name in {apply ::apply} && [llength $words] >= 2} {
	set spec [lindex $words 1 0]
	incr given -1
    } else {
	set proc [namespace eval :: [list namespace which -command $name]]
	if {$proc eq "" || [catch {namespace origin $proc} proc]
		|| [catch {info args $proc} formals]} {
	    return 0
	}
	set spec {}
	foreach formal $formals {
	    if {[info default $proc $formal value]} {
		lappend spec [list $formal $value]
	    } else {
		lappend spec [list $formal]
	    }
	}
    }
    set required 0
    set total 0
    set rest 0
    foreach formal $spec {
	if {[lindex $formal 0] eq "args" && $total == [llength $spec] - 1} {
	    set rest 1
	    break
	}
	incr total
	if {[llength $formal] < 2} {
	    set required $total
	}
    }
    return [expr {$required <= $given && ($rest || $total >= $given)}]
}

# tls::password --
#
#	The default of -password: a reminder on the log and a fixed pass
#	phrase.  It takes TclTLS 2.0.1's arguments, which it does not use.

proc ::tls::password {{option password} {rwflag 0} {size 0}} {
    log 0 "TLS/Password: did you forget to set your passwd!"
    return "secret"
}
