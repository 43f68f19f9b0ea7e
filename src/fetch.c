/*
 * fetch.c: libcurl multi on libevent (see curl's docs/examples/multi-event.c).
 *
 * curl tells us which sockets to watch (socket_cb) and when to wake it
 * (timer_cb); libevent tells curl when a socket is ready (event_cb) or the
 * timer fired (timeout_cb). After each curl_multi_socket_action, finished
 * transfers are collected (check_done) and their callbacks run.
 */
#include "fetch.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "caps.h"

struct transfer {
	struct fetch *f;
	CURL *easy;
	struct curl_slist *headers;
	fetch_done_fn done;
	void *arg;
	struct buf body;
	bool too_big;
	bool in_callback;   /* done is running: fetch_cancel leaves it alone */
	long hop_status;    /* status of the response being read */
	unsigned perm_hops; /* 301 and 308 redirects followed */
	unsigned temp_hops; /* other redirects followed */
	char errbuf[CURL_ERROR_SIZE];
	struct netguard *guard; /* NULL: any address */
	char refused[160];      /* why the guard refused a connection */
	struct transfer *prev, *next;
};

struct sock {
	struct fetch *f;
	curl_socket_t fd;
	struct event *ev;
	struct sock *prev, *next;
};

struct fetch {
	struct event_base *base;
	CURLM *multi;
	struct event *timer;
	char *user_agent;
	struct transfer *transfers; /* in flight */
	struct sock *socks;         /* watched sockets */
	int active;
};

static void check_done(struct fetch *f);

static void event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch *f = arg;
	int running, action = 0;

	if (what & EV_READ)
		action |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(f->multi, fd, action, &running);
	check_done(f);
}

static void timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch *f = arg;
	int running;

	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(f);
}

static int timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
	struct fetch *f = arg;
	struct timeval tv;

	if (timeout_ms < 0) {
		evtimer_del(f->timer);
		return 0;
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(f->timer, &tv);
	return 0;
}

static void sock_free(struct sock *s)
{
	struct fetch *f = s->f;

	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		f->socks = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	event_free(s->ev);
	free(s);
}

static int socket_cb(
    CURL *easy, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct fetch *f = arg;
	struct sock *s = sockp;
	short kind;

	if (what == CURL_POLL_REMOVE) {
		if (s != NULL)
			sock_free(s);
		curl_multi_assign(f->multi, fd, NULL);
		return 0;
	}
	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return -1;
		s->f = f;
		s->fd = fd;
		s->next = f->socks;
		if (f->socks != NULL)
			f->socks->prev = s;
		f->socks = s;
		curl_multi_assign(f->multi, fd, s);
	} else {
		event_free(s->ev);
		s->ev = NULL;
	}
	kind = EV_PERSIST;
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	s->ev = event_new(f->base, fd, kind, event_cb, f);
	if (s->ev == NULL || event_add(s->ev, NULL) != 0)
		return -1;
	return 0;
}

/* Stores body bytes, counted after decompression; past the cap the
 * transfer is aborted (curl reports CURLE_WRITE_ERROR). */
static size_t write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	size_t n = size * nmemb;

	if (buf_append(&t->body, data, n) != 0) {
		t->too_big = true;
		return 0;
	}
	return n;
}

/* The code of an HTTP status line ("HTTP/1.1 301 Moved Permanently",
 * "HTTP/2 308"), or -1 when line[0..n) is not one. */
static long status_code(const char *line, size_t n)
{
	size_t i = 5;

	if (n < 5 || memcmp(line, "HTTP/", 5) != 0)
		return -1;
	while (i < n && line[i] != ' ')
		i++;
	while (i < n && line[i] == ' ')
		i++;
	if (i + 3 > n || line[i] < '1' || line[i] > '5' || line[i + 1] < '0' ||
	    line[i + 1] > '9' || line[i + 2] < '0' || line[i + 2] > '9')
		return -1;
	return (line[i] - '0') * 100 + (line[i + 1] - '0') * 10 +
	       (line[i + 2] - '0');
}

/*
 * Sees every header line of every response, redirects included. A status
 * line starts a new response, so the previous one, when it was a 3xx, is
 * a redirect curl followed: counted as permanent (301, 308) or not.
 */
static size_t header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	size_t n = size * nmemb;
	long code = status_code(data, n);

	if (code < 0)
		return n;
	if (t->hop_status == 301 || t->hop_status == 308)
		t->perm_hops++;
	else if (t->hop_status >= 300 && t->hop_status <= 399)
		t->temp_hops++;
	t->hop_status = code;
	return n;
}

static void transfer_free(struct transfer *t)
{
	struct fetch *f = t->f;

	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		f->transfers = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	curl_multi_remove_handle(f->multi, t->easy);
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	buf_free(&t->body);
	netguard_free(t->guard);
	free(t);
	f->active--;
}

/*
 * curl asks for each socket it connects with; for a guarded transfer the
 * address is judged here, after DNS resolution and for every redirect hop
 * or retry, so neither a rebinding resolver nor a redirect can reach an
 * address the guard refuses. Refusing makes curl fail the transfer.
 */
static curl_socket_t open_socket(
    void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct transfer *t = arg;
	const char *why;
	char host[INET6_ADDRSTRLEN] = "?";

	if (purpose == CURLSOCKTYPE_IPCXN) {
		why = netguard_check(t->guard, &a->addr, a->addrlen);
		if (why != NULL) {
			if (a->family == AF_INET)
				inet_ntop(AF_INET,
				    &((const struct sockaddr_in *)&a->addr)
				         ->sin_addr,
				    host, sizeof(host));
			else if (a->family == AF_INET6)
				inet_ntop(AF_INET6,
				    &((const struct sockaddr_in6 *)&a->addr)
				         ->sin6_addr,
				    host, sizeof(host));
			snprintf(t->refused, sizeof(t->refused),
			    "refused to connect to %s: %s address (see "
			    "allow_private_networks)",
			    host, why);
			return CURL_SOCKET_BAD;
		}
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* The value of a response header of the last request, or NULL. */
static const char *header_value(CURL *easy, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return h->value;
}

static void finish(struct transfer *t, CURLcode code)
{
	struct fetch_result res;
	char msg[CURL_ERROR_SIZE + 64];
	curl_off_t retry = 0;
	char *ctype = NULL;
	const char *scheme = NULL;

	memset(&res, 0, sizeof(res));
	res.body = t->body;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &res.status);
	curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &res.seconds);
	curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retry);
	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ctype);
	curl_easy_getinfo(t->easy, CURLINFO_SCHEME, &scheme);
	curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_COUNT, &res.redirects);
	if (res.redirects > 0 && t->temp_hops == 0 &&
	    t->perm_hops == (unsigned long)res.redirects) {
		char *url = NULL;

		curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &url);
		res.moved_to = url;
	}
	res.retry_after = retry > 0 ? (int64_t)retry : 0;
	if (res.retry_after > CAP_RETRY_AFTER_MAX)
		res.retry_after = CAP_RETRY_AFTER_MAX;
	res.content_type = ctype;
	if (scheme != NULL && strcasecmp(scheme, "file") == 0 &&
	    code == CURLE_OK)
		res.status = 200;
	if (scheme != NULL && strncasecmp(scheme, "http", 4) == 0) {
		res.etag = header_value(t->easy, "ETag");
		res.last_modified = header_value(t->easy, "Last-Modified");
	}
	if (t->refused[0] != '\0') {
		snprintf(msg, sizeof(msg), "%s", t->refused);
		res.error = msg;
	} else if (t->too_big || code == CURLE_FILESIZE_EXCEEDED) {
		snprintf(msg, sizeof(msg),
		    "response body larger than %zu bytes", t->body.max);
		res.error = msg;
	} else if (code != CURLE_OK) {
		snprintf(msg, sizeof(msg), "%s",
		    t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
		res.error = msg;
	} else {
		res.ok = true;
	}
	t->done(&res, t->arg);
}

static void check_done(struct fetch *f)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		struct transfer *t = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(
		    m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		t->in_callback = true;
		finish(t, m->data.result);
		transfer_free(t);
	}
}

struct fetch *fetch_new(
    struct event_base *base, const char *user_agent, struct pw_error *err)
{
	struct fetch *f = calloc(1, sizeof(*f));

	if (f == NULL) {
		pw_error_set(err, "fetch: out of memory");
		return NULL;
	}
	f->base = base;
	f->multi = curl_multi_init();
	f->timer = evtimer_new(base, timeout_cb, f);
	f->user_agent = strdup(user_agent);
	if (f->multi == NULL || f->timer == NULL || f->user_agent == NULL) {
		pw_error_set(err, "fetch: cannot initialize libcurl multi");
		fetch_free(f);
		return NULL;
	}
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	curl_multi_setopt(
	    f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, CAP_FETCH_CONCURRENT);
	return f;
}

void fetch_free(struct fetch *f)
{
	if (f == NULL)
		return;
	while (f->transfers != NULL)
		transfer_free(f->transfers);
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);
	while (f->socks != NULL)
		sock_free(f->socks);
	if (f->timer != NULL)
		event_free(f->timer);
	free(f->user_agent);
	free(f);
}

int fetch_active(const struct fetch *f)
{
	return f->active;
}

int fetch_cancel(struct fetch *f, const void *arg)
{
	struct transfer *t = f->transfers, *next;
	int n = 0;

	for (; t != NULL; t = next) {
		next = t->next;
		if (t->arg == arg && !t->in_callback) {
			transfer_free(t);
			n++;
		}
	}
	return n;
}

/* Adds "Name: value" to the header list; 0 or -1. */
static int add_header(
    struct curl_slist **list, const char *name, const char *value)
{
	char line[1024];
	struct curl_slist *n;

	snprintf(line, sizeof(line), "%s: %s", name, value);
	n = curl_slist_append(*list, line);
	if (n == NULL)
		return -1;
	*list = n;
	return 0;
}

int fetch_start(struct fetch *f, const struct fetch_request *req,
    fetch_done_fn done, void *arg, struct pw_error *err)
{
	struct transfer *t = calloc(1, sizeof(*t));
	long max = req->max_bytes > 0 ? req->max_bytes : CAP_FETCH_BODY_BYTES;
	CURL *e;

	if (t == NULL)
		return pw_error_set(err, "fetch: out of memory");
	t->f = f;
	t->done = done;
	t->arg = arg;
	buf_init(&t->body, (size_t)max);
	t->easy = e = curl_easy_init();
	if (e == NULL) {
		free(t);
		return pw_error_set(err, "fetch: cannot create a curl handle");
	}
	if ((req->if_none_match != NULL &&
	        add_header(&t->headers, "If-None-Match", req->if_none_match)) ||
	    (req->if_modified_since != NULL &&
	        add_header(
	            &t->headers, "If-Modified-Since", req->if_modified_since)))
		goto fail;
	for (size_t i = 0; i < req->n_headers; i++) {
		struct curl_slist *n =
		    curl_slist_append(t->headers, req->headers[i]);

		if (n == NULL)
			goto fail;
		t->headers = n;
	}

	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* all curl decodes */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, CAP_FETCH_REDIRECTS);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	    req->allow_file ? "http,https,file" : "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	if (req->guard != NULL) {
		t->guard = netguard_dup(req->guard);
		if (t->guard == NULL)
			goto fail;
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t);
	}
	curl_easy_setopt(
	    e, CURLOPT_CONNECTTIMEOUT_MS, CAP_FETCH_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
	    req->timeout_ms > 0 ? req->timeout_ms : CAP_FETCH_TOTAL_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, CAP_FETCH_LOW_SPEED_BYTES);
	curl_easy_setopt(
	    e, CURLOPT_LOW_SPEED_TIME, CAP_FETCH_LOW_SPEED_SECONDS);
	/* A declared length over the cap stops before any body is read. */
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);

	if (req->body != NULL) {
		/* curl would otherwise send "Expect: 100-continue" for a body
		 * over 1 KiB and wait up to a second for the answer to it. */
		struct curl_slist *n = curl_slist_append(t->headers, "Expect:");

		if (n == NULL)
			goto fail;
		t->headers = n;
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
		curl_easy_setopt(
		    e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body);
	}
	if (req->no_redirects)
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);

	if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
		goto fail;
	t->next = f->transfers;
	if (f->transfers != NULL)
		f->transfers->prev = t;
	f->transfers = t;
	f->active++;
	return 0;
fail:
	curl_slist_free_all(t->headers);
	curl_easy_cleanup(e);
	netguard_free(t->guard);
	free(t);
	return pw_error_set(
	    err, "fetch: cannot start a transfer for %s", req->url);
}
