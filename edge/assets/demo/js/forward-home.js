// The origin's home (/) is the demo shop's home: go there, keeping the query (?tp_ref=<code>).
location.replace(`/demo/${location.search}${location.hash}`);
