package store_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/store"
)

// tmpfs mounts a small tmpfs for the test (tests run as root, where file
// modes do not stop writes: only a full or read-only filesystem does).
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

func TestFullDiskIsReportedAndLosesNothingCommitted(t *testing.T) {
	dir := tmpfs(t, "1m")
	db, err := store.Open(filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	big := strings.Repeat("x", 2000)
	committed := 0
	var werr error
	for i := range 2000 {
		_, werr = db.SaveReply(ctx, store.Reply{Channel: "C1", ThreadTS: "1700000000.1", TS: fmt.Sprintf("1700000001.%06d", i), User: "U1", Text: big})
		if werr != nil {
			break
		}
		committed++
	}
	if werr == nil {
		t.Fatal("2000 writes of 2 KB fit in a 1 MB tmpfs; the test proves nothing")
	}
	if !strings.Contains(werr.Error(), "no space left on device") {
		t.Errorf("write on a full disk = %v; want it to say no space left on device", werr)
	}
	// Everything acknowledged before the disk filled is still there.
	if n, err := db.CountReplies(); err != nil || n != committed {
		t.Errorf("CountReplies = %d, %v; want the %d committed", n, err, committed)
	}
	if err := db.Check(); err != nil {
		t.Errorf("database after ENOSPC: %v", err)
	}
}

func TestReadOnlyFilesystemIsReportedClearly(t *testing.T) {
	dir := tmpfs(t, "4m")
	path := filepath.Join(dir, "s.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	_, err = store.Open(path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "read-only file system") || !strings.Contains(err.Error(), path) {
		t.Errorf("Open on a read-only filesystem = %v; want the path and 'read-only file system'", err)
	}
	// A read-only open (backup, export) still works.
	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only Open on a read-only filesystem: %v", err)
	}
	ro.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

// TestFailedForgetChangesNothing makes forget-me's commit fail (the disk
// is full and the deletion must write fresh copies of nearly every page)
// and checks that the store still answers as before: no half-forgotten
// user, not even in what it keeps in memory. Then, with room again, the
// forget-me works.
func TestFailedForgetChangesNothing(t *testing.T) {
	dir := tmpfs(t, "1m")
	db, err := store.Open(filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	day := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	text := strings.Repeat("x", 1000)
	// U1's replies alternate with U2's, so deleting U1's touches every page.
	var werr error
	for i := 0; werr == nil && i < 2000; i++ {
		_, werr = db.SaveReply(ctx, store.Reply{Channel: "C1", ThreadTS: "1700000000.1", TS: fmt.Sprintf("1700000001.%06d", i),
			User: fmt.Sprintf("U%d", 1+i%2), Text: text, At: day.Add(time.Duration(i) * time.Minute)})
	}
	if werr == nil {
		t.Fatal("2000 replies of 1 KB fit in a 1 MB tmpfs; the test proves nothing")
	}
	before, err := db.ExportUser("U1")
	if err != nil {
		t.Fatal(err)
	}
	times, err := db.UserReplyTimes("U1")
	if err != nil || len(times) != len(before.Replies) || len(times) < 100 {
		t.Fatalf("before forget-me: %d reply times, %v, for %d replies; want equal, and at least 100", len(times), err, len(before.Replies))
	}
	if _, err := db.ForgetUser(ctx, "U1"); err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("ForgetUser on a full disk = %v; want no space left on device", err)
	}
	after, err := db.ExportUser("U1")
	if err != nil || len(after.Replies) != len(before.Replies) {
		t.Errorf("after a failed forget-me: %d replies, %v; want all %d", len(after.Replies), err, len(before.Replies))
	}
	if got, err := db.UserReplyTimes("U1"); err != nil || len(got) != len(times) {
		t.Errorf("after a failed forget-me: %d reply times, %v; want all %d (App Home and stats must not change)", len(got), err, len(times))
	}

	// Room again: the same forget-me succeeds and is complete.
	if err := exec.Command("mount", "-o", "remount,size=8m", dir).Run(); err != nil {
		t.Fatalf("grow the tmpfs: %v", err)
	}
	if f, err := db.ForgetUser(ctx, "U1"); err != nil || f.Replies != len(before.Replies) {
		t.Fatalf("ForgetUser with room = %+v, %v; want %d replies", f, err, len(before.Replies))
	}
	if got, _ := db.UserReplyTimes("U1"); len(got) != 0 {
		t.Errorf("after forget-me: %d reply times left", len(got))
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}
