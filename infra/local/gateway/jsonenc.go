package gateway

import (
	"strconv"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// eventBytes is room for an event without its body: a browser's request
// makes one of about 1.5 KB.
const eventBytes = 2048

// appendEvent appends ev as encoding/json would encode it, less the empty
// authentication object, without reflection: a quarter of the time, which
// is most of what the gateway adds to a small function's answer.
func appendEvent(dst []byte, ev *events.APIGatewayV2HTTPRequest) []byte {
	dst = append(dst, `{"version":`...)
	dst = appendString(dst, ev.Version)
	dst = append(dst, `,"routeKey":`...)
	dst = appendString(dst, ev.RouteKey)
	dst = append(dst, `,"rawPath":`...)
	dst = appendString(dst, ev.RawPath)
	dst = append(dst, `,"rawQueryString":`...)
	dst = appendString(dst, ev.RawQueryString)
	if len(ev.Cookies) > 0 {
		dst = append(dst, `,"cookies":[`...)
		for i, c := range ev.Cookies {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, c)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"headers":`...)
	dst = appendStringMap(dst, ev.Headers)
	if len(ev.QueryStringParameters) > 0 {
		dst = append(dst, `,"queryStringParameters":`...)
		dst = appendStringMap(dst, ev.QueryStringParameters)
	}
	if len(ev.PathParameters) > 0 {
		dst = append(dst, `,"pathParameters":`...)
		dst = appendStringMap(dst, ev.PathParameters)
	}
	if len(ev.StageVariables) > 0 {
		dst = append(dst, `,"stageVariables":`...)
		dst = appendStringMap(dst, ev.StageVariables)
	}
	c := &ev.RequestContext
	dst = append(dst, `,"requestContext":{"routeKey":`...)
	dst = appendString(dst, c.RouteKey)
	dst = append(dst, `,"accountId":`...)
	dst = appendString(dst, c.AccountID)
	dst = append(dst, `,"stage":`...)
	dst = appendString(dst, c.Stage)
	dst = append(dst, `,"requestId":`...)
	dst = appendString(dst, c.RequestID)
	dst = append(dst, `,"apiId":`...)
	dst = appendString(dst, c.APIID)
	dst = append(dst, `,"domainName":`...)
	dst = appendString(dst, c.DomainName)
	dst = append(dst, `,"domainPrefix":`...)
	dst = appendString(dst, c.DomainPrefix)
	dst = append(dst, `,"time":`...)
	dst = appendString(dst, c.Time)
	dst = append(dst, `,"timeEpoch":`...)
	dst = strconv.AppendInt(dst, c.TimeEpoch, 10)
	dst = append(dst, `,"http":{"method":`...)
	dst = appendString(dst, c.HTTP.Method)
	dst = append(dst, `,"path":`...)
	dst = appendString(dst, c.HTTP.Path)
	dst = append(dst, `,"protocol":`...)
	dst = appendString(dst, c.HTTP.Protocol)
	dst = append(dst, `,"sourceIp":`...)
	dst = appendString(dst, c.HTTP.SourceIP)
	dst = append(dst, `,"userAgent":`...)
	dst = appendString(dst, c.HTTP.UserAgent)
	dst = append(dst, `}}`...)
	if ev.Body != "" {
		dst = append(dst, `,"body":`...)
		dst = appendString(dst, ev.Body)
	}
	dst = append(dst, `,"isBase64Encoded":`...)
	dst = strconv.AppendBool(dst, ev.IsBase64Encoded)
	return append(dst, '}')
}

// appendStringMap appends m as a JSON object, in no particular key order.
func appendStringMap(dst []byte, m map[string]string) []byte {
	if m == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '{')
	first := true
	for k, v := range m {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendString(dst, k)
		dst = append(dst, ':')
		dst = appendString(dst, v)
	}
	return append(dst, '}')
}

// appendString appends s as a JSON string, escaped as encoding/json escapes
// it: quotes, backslashes and control characters; <, > and & as \u00XX;
// invalid UTF-8 as U+FFFD; U+2028 and U+2029, which JavaScript reads as
// line ends.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
