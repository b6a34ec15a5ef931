package control

import (
	"net"
	"os"
	"syscall"
)

// listenPrivate listens on a unix socket created under umask 077, so the
// socket is 0600 from the moment it exists (a chmod afterwards would leave
// a window).
func listenPrivate(path string) (net.Listener, error) {
	old := syscall.Umask(0o077)
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, err
	}
	// Only the owner needs to connect; 0600 is the conventional mode.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}
