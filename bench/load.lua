-- wrk script for bench/load.sh: every request picks one of a list of feed
-- URLs (formats, filters, sort orders, named feeds) at random, and every
-- thread counts its non-2xx answers so load.sh can print them.
local paths = {
	"/feed.rss",
	"/feed.atom",
	"/feed.json",
	"/feed.rss?min_upvotes=20",
	"/feed.atom?q=language+model",
	"/feed.json?has_code=true&sort=upvotes",
	"/feed.rss?sort=published&limit=10",
	"/feed.json?author=a&limit=100",
	"/feed.atom?q=%22large+language%22+OR+diffusion&min_upvotes=5",
	"/feed.rss?title=learning&days=30",
	"/feeds/hot.rss",
	"/feeds/hot.atom",
	"/feeds/hot.json",
	"/feeds/code.rss?sort=upvotes",
	"/feeds/code.json?min_upvotes=10",
	"/opml",
}

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	non2xx = 0
	math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
	return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
	end
end

function done(summary, latency, requests)
	local bad = 0
	for _, t in ipairs(threads) do
		bad = bad + t:get("non2xx")
	end
	local e = summary.errors
	io.write(string.format("wrk requests: %d in %.1f s\n",
		summary.requests, summary.duration / 1e6))
	io.write(string.format("wrk requests/s: %.1f\n",
		summary.requests / (summary.duration / 1e6)))
	io.write(string.format("wrk latency p50: %.2f ms, p99: %.2f ms, max: %.2f ms\n",
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		latency.max / 1000))
	io.write(string.format("wrk socket errors: connect %d, read %d, write %d, timeout %d\n",
		e.connect, e.read, e.write, e.timeout))
	io.write(string.format("wrk non-2xx (counted by status): %d, wrk 'status' errors: %d\n",
		bad, e.status))
end
