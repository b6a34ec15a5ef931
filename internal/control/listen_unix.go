package control

import (
	"net"
	"syscall"
)

// listenPrivate listens on a unix socket created under umask 077, so the
// socket is 0600 from the moment it exists (a chmod afterwards would leave
// a window).
func listenPrivate(path string) (net.Listener, error) {
	old := syscall.Umask(0o077)
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	return ln, err
}
