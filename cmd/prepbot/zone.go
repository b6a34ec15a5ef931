package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	// Zone data is built in, so a bare server image cannot break schedules.
	_ "time/tzdata"
)

func loadZone(name string) (*time.Location, error) {
	if strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("%q depends on the server: name an IANA zone such as Europe/Berlin", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IANA time zone (examples: UTC, America/New_York, Europe/Berlin)", name)
	}
	return loc, nil
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", raw)
	}
	return u, nil
}
