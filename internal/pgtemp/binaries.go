package pgtemp

import (
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
)

// binDir finds the folder of the Postgres server programs: the highest
// major version under /usr/lib/postgresql (Debian's layout), else the
// folder of pg_ctl on PATH (following its symlink).
func binDir() (string, error) {
	majors, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	sort.Slice(majors, func(i, j int) bool { return major(majors[i]) > major(majors[j]) })
	for _, p := range majors {
		if hasInitdb(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	p, err := exec.LookPath("pg_ctl")
	if err != nil {
		return "", errors.New("pg_ctl not found in /usr/lib/postgresql/*/bin or on PATH (apt-get install postgresql)")
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	if !hasInitdb(filepath.Dir(p)) {
		return "", errors.New("initdb not found beside " + p)
	}
	return filepath.Dir(p), nil
}

func major(pgCtl string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(pgCtl))))
	return n
}

func hasInitdb(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "initdb"))
	return err == nil
}

// serverUser returns the postgres OS user's credential, which the server
// programs run with when the tests run as root: Postgres refuses root.
func serverUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("running as root and there is no postgres OS user to run the server as")
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}
