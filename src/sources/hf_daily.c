/*
 * hf_daily.c: the Hugging Face daily papers API,
 * GET {url}?date=YYYY-MM-DD&limit=100&p=N, one request per list date (or
 * one trending listing, or one per week or month period), answered with a
 * JSON array of paper wrappers.
 *
 * Listings: "date" (default: today and `days` previous dates), "trending"
 * (sort=trending, one listing; `days` is ignored), and with "period":
 * "week" or "month" the current ISO week (week=YYYY-Www) or calendar
 * month (month=YYYY-MM) and the one before it, so papers added and votes
 * cast at the end of a period are still read after it closes.
 *
 * The search API (/api/papers/search) answers with the same array, so this
 * parse function reads its responses too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../urlq.h"
#include "../caps.h"
#include "../timefmt.h"
#include "hf_common.h"
#include "hf_period.h"
#include "source.h"

#define HF_DAILY_PAGE_SIZE 100
#define HF_DAILY_DEFAULT_URL "https://huggingface.co/api/daily_papers"
#define HF_DAILY_DAYS 3 /* list dates before today polled too, by default */

#define HF_DAILY_PERIODS 2 /* the current period and the one before */

static const char *const hf_daily_keys[] = {"days", "sort", "period", NULL};
static const char *const hf_daily_sorts[] = {"date", "trending", NULL};
static const char *const hf_daily_periods[] = {"week", "month", NULL};

static int hf_daily_check(
    const json_t *opts, source_report_fn report, void *ctx)
{
	int rc = 0;

	rc |= source_check_int(opts, "days", 0, CAP_POLL_DAYS, report, ctx);
	rc |= source_check_enum(opts, "sort", hf_daily_sorts, report, ctx);
	rc |= source_check_enum(opts, "period", hf_daily_periods, report, ctx);
	/* A period listing is neither a run of list dates nor the trending
	 * list; a key that would be silently ignored is an error instead. */
	if (json_object_get(opts, "period") != NULL) {
		if (strcmp(source_opt_str(opts, "sort", "date"), "trending") ==
		    0) {
			report(ctx, "period",
			    "cannot be combined with sort \"trending\"");
			rc = -1;
		}
		if (json_object_get(opts, "days") != NULL) {
			report(ctx, "days",
			    "counts list dates; a \"period\" listing takes "
			    "no days");
			rc = -1;
		}
	}
	return rc;
}

/*
 * Step s (0 ... days) is the list date s days before the poll's clock, in
 * UTC; with sort "trending" there is one step without a date; with a
 * period, step 0 is the period holding the poll's clock and step 1 the
 * one before. The query is appended to whatever query the configured url
 * already has. NULL past the last step, or when the url cannot be parsed.
 */
static char *hf_daily_request_url(
    const struct source_params *p, unsigned step, unsigned page)
{
	const char *base = p->url != NULL ? p->url : HF_DAILY_DEFAULT_URL;
	const char *sort = source_opt_str(p->options, "sort", "date");
	bool trending = strcmp(sort, "trending") == 0;
	const char *period = source_opt_str(p->options, "period", NULL);
	long long days = source_opt_int(p->options, "days", HF_DAILY_DAYS);
	char day[TIMEFMT_BYTES], pagestr[16], limit[16];
	char pname[HF_PERIOD_BYTES];
	enum hf_period kind = HF_PERIOD_WEEK;
	char *curl_str = NULL, *url = NULL;
	CURLU *u;

	if (days < 0)
		days = 0;
	if (days > CAP_POLL_DAYS)
		days = CAP_POLL_DAYS;
	if (period != NULL && hf_period_parse(period, &kind) != 0)
		return NULL;
	if (period != NULL) {
		if (step >= HF_DAILY_PERIODS ||
		    hf_period_name(kind, p->now, step, pname, sizeof(pname)) !=
		        0)
			return NULL;
	} else if (step > (trending ? 0u : (unsigned)days)) {
		return NULL;
	}
	snprintf(pagestr, sizeof(pagestr), "%u", page);
	snprintf(limit, sizeof(limit), "%d", HF_DAILY_PAGE_SIZE);
	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
		goto done;
	if (period != NULL) {
		if (urlq_append(u, kind == HF_PERIOD_WEEK ? "week" : "month",
		        pname) != 0)
			goto done;
	} else if (trending) {
		if (urlq_append(u, "sort", "trending") != 0)
			goto done;
	} else {
		timefmt_day(p->now - (int64_t)step * 86400, day);
		if (urlq_append(u, "date", day) != 0)
			goto done;
	}
	if (urlq_append(u, "limit", limit) != 0 ||
	    urlq_append(u, "p", pagestr) != 0 ||
	    curl_url_get(u, CURLUPART_URL, &curl_str, 0) != CURLUE_OK)
		goto done;
	url = strdup(curl_str);
done:
	curl_free(curl_str);
	curl_url_cleanup(u);
	return url;
}

/* The body must be a JSON array of wrappers; list dates come from each
 * paper's submittedOnDailyAt, as the request's date is not known here. */
static int hf_daily_parse(const struct source_params *p, const char *body,
    size_t len, struct entry_list *out, size_t *items, size_t *skipped,
    struct pw_error *err)
{
	json_t *root;
	int rc;

	if (items != NULL)
		*items = 0;
	if (skipped != NULL)
		*skipped = 0;
	if ((root = hf_common_load(body, len, err)) == NULL)
		return -1;
	if (!json_is_array(root)) {
		rc = pw_error_set(err, "expected a JSON array, got %s",
		    hf_common_type_name(root));
		goto done;
	}
	rc = hf_common_parse_array(root, p->name, 0, out, items, skipped, err);
done:
	json_decref(root);
	return rc;
}

const struct source_ops source_hf_daily_ops = {
    .type = "hf_daily",
    .keys = hf_daily_keys,
    .check = hf_daily_check,
    .default_url = HF_DAILY_DEFAULT_URL,
    .page_size = HF_DAILY_PAGE_SIZE,
    .request_url = hf_daily_request_url,
    .parse = hf_daily_parse,
};
