package memberhttp

import (
	"strconv"
	"strings"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/members"
)

// listQueryOf reads the member list's query string: status, q, cursor and
// limit. It returns invalid invalid_limit when limit is not a whole number
// from 1 to MaxLimit.
func listQueryOf(req api.Request) (members.ListQuery, error) {
	p := req.QueryStringParameters
	q := members.ListQuery{Status: domain.MemberStatus(p["status"]), Q: p["q"], Cursor: p["cursor"]}
	if l, ok := p["limit"]; ok {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > members.MaxLimit {
			return q, domain.CodeInvalidLimit.Field("limit", "The page size must be between 1 and 100.")
		}
		q.Limit = n
	}
	return q, nil
}

// exitOf reads the version and the projects' new owner of a deactivation,
// reactivation or removal: from the query string (version, projectsTo) when
// it names a version, else from the JSON body. It returns invalid
// missing_version, and api.Decode's errors.
func exitOf(req api.Request) (int64, string, error) {
	if _, ok := req.QueryStringParameters["version"]; ok {
		v, err := api.Version(req)
		return v, req.QueryStringParameters["projectsTo"], err
	}
	b, err := api.Body(req)
	if err != nil {
		return 0, "", err
	}
	var body members.Exit
	if strings.TrimSpace(string(b)) != "" {
		if err := api.Decode(req, &body); err != nil {
			return 0, "", err
		}
	}
	if body.Version <= 0 {
		return 0, "", domain.CodeMissingVersion.Field("version", "Send the version of the member you act on.")
	}
	return body.Version, body.ProjectsTo, nil
}
