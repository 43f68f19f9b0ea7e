/* test_text.c: text_clean, tokens, substring search and excerpts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define FFFD "\xEF\xBF\xBD"
#define ELLIPSIS "\xE2\x80\xA6"

/* Cleans the first len bytes of s and compares with want. */
static void check_clean(const char *s, size_t len, size_t max, const char *want)
{
	char *got = text_clean(s, len, max);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_true(text_is_clean_utf8(got, strlen(got)));
	free(got);
}

#define CLEAN(lit, want) check_clean(lit, sizeof(lit) - 1, 0, want)

static void test_clean_plain_ascii_unchanged(void **state)
{
	CLEAN("Attention Is All You Need", "Attention Is All You Need");
}

static void test_clean_collapses_and_trims_space(void **state)
{
	CLEAN("  a \t\r\n b\n\nc  ", "a b c");
}

static void test_clean_nbsp_is_space(void **state)
{
	CLEAN("a\xC2\xA0\xC2\xA0"
	      "b\xC2\xA0",
	    "a b");
}

static void test_clean_keeps_valid_multibyte(void **state)
{
	/* é (2 bytes), € (3 bytes), U+1F600 (4 bytes), U+10FFFF. */
	CLEAN("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF",
	    "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF");
}

static void test_clean_drops_c0_controls(void **state)
{
	CLEAN("a\x01"
	      "b\x08"
	      "c\x1B"
	      "d\x0B"
	      "e\x0C"
	      "f",
	    "abcdef");
}

static void test_clean_drops_nul_inside_length(void **state)
{
	check_clean("a\0b", 3, 0, "ab");
}

static void test_clean_drops_del_and_c1(void **state)
{
	CLEAN("a\x7F"
	      "b\xC2\x80"
	      "c\xC2\x9F"
	      "d\xC2\x85"
	      "e",
	    "abcde");
}

static void test_clean_drops_fffe_ffff(void **state)
{
	CLEAN("a\xEF\xBF\xBE"
	      "b\xEF\xBF\xBF"
	      "c",
	    "abc");
}

static void test_clean_drops_encoded_surrogates(void **state)
{
	/* U+D800 and U+DFFF in the (invalid) three-byte form. */
	CLEAN("a\xED\xA0\x80"
	      "b\xED\xBF\xBF"
	      "c",
	    "abc");
}

static void test_clean_keeps_fffd_itself(void **state)
{
	CLEAN("a" FFFD "b", "a" FFFD "b");
}

static void test_clean_overlong_becomes_fffd(void **state)
{
	/* "/" as two, three and four bytes; NUL as two bytes. */
	CLEAN("a\xC0\xAF"
	      "b",
	    "a" FFFD "b");
	CLEAN("a\xE0\x80\xAF"
	      "b",
	    "a" FFFD "b");
	CLEAN("a\xF0\x80\x80\xAF"
	      "b",
	    "a" FFFD "b");
	CLEAN("a\xC0\x80"
	      "b",
	    "a" FFFD "b");
}

static void test_clean_beyond_10ffff_becomes_fffd(void **state)
{
	CLEAN("a\xF4\x90\x80\x80"
	      "b",
	    "a" FFFD "b");
	CLEAN("a\xF7\xBF\xBF\xBF"
	      "b",
	    "a" FFFD "b");
}

static void test_clean_invalid_lead_bytes(void **state)
{
	CLEAN("a\xF8"
	      "b\xFF"
	      "c",
	    "a" FFFD "b" FFFD "c");
}

static void test_clean_stray_continuation(void **state)
{
	CLEAN("a\x80\xBF"
	      "b",
	    "a" FFFD FFFD "b");
}

static void test_clean_truncated_sequence(void **state)
{
	/* Latin-1 "café " and a 3-byte lead cut by the end of input. */
	CLEAN("caf\xE9 x", "caf" FFFD " x");
	CLEAN("x\xE2\x82", "x" FFFD);
	/* The byte after a broken sequence starts a new character. */
	CLEAN("\xE2\x82"
	      "A",
	    FFFD "A");
}

static void test_clean_respects_len(void **state)
{
	check_clean("abcdef", 3, 0, "abc");
}

static void test_clean_cut_at_max_bytes(void **state)
{
	check_clean("abcdef", 6, 4, "abcd");
	check_clean("abcdef", 6, 6, "abcdef");
}

static void test_clean_cut_on_char_boundary(void **state)
{
	/* "aé€": 1 + 2 + 3 bytes; a cut at 4 or 5 keeps "aé". */
	check_clean("a\xC3\xA9\xE2\x82\xAC", 6, 4, "a\xC3\xA9");
	check_clean("a\xC3\xA9\xE2\x82\xAC", 6, 5, "a\xC3\xA9");
	check_clean("a\xC3\xA9\xE2\x82\xAC", 6, 2, "a");
}

static void test_clean_cut_never_leaves_trailing_space(void **state)
{
	check_clean("ab   cd", 7, 3, "ab");
}

static void test_clean_empty_results(void **state)
{
	check_clean("", 0, 0, "");
	CLEAN(" \t\n\x01 ", "");
}

static void test_clean_opt_null_when_empty(void **state)
{
	char *t = text_clean_opt("  \r\n", 4, 0);

	assert_null(t);
	t = text_clean_opt(" x ", 3, 0);
	assert_non_null(t);
	assert_string_equal(t, "x");
	free(t);
}

static void test_is_clean_accepts_valid(void **state)
{
	const char *s = "a\tb\nc\r \xC3\xA9 \xF0\x9F\x98\x80";

	assert_true(text_is_clean_utf8(s, strlen(s)));
	assert_true(text_is_clean_utf8("", 0));
}

static void test_is_clean_rejects_bad(void **state)
{
	assert_false(text_is_clean_utf8("a\x01", 2));
	assert_false(text_is_clean_utf8("a\0", 2));
	assert_false(text_is_clean_utf8("\x7F", 1));
	assert_false(text_is_clean_utf8("\xC2\x80", 2));
	assert_false(text_is_clean_utf8("\xC0\xAF", 2));
	assert_false(text_is_clean_utf8("\xED\xA0\x80", 3));
	assert_false(text_is_clean_utf8("\xEF\xBF\xBF", 3));
	assert_false(text_is_clean_utf8("\xF4\x90\x80\x80", 4));
	assert_false(text_is_clean_utf8("\xC3", 1));
	assert_false(text_is_clean_utf8("\xE9t\xE9", 3));
}

static void test_lower_ascii(void **state)
{
	char s[] = "GPT-4 \xC3\x89T\xC3\xA9";

	assert_ptr_equal(text_lower_ascii(s), s);
	/* Non-ASCII bytes (É) are left alone. */
	assert_string_equal(s, "gpt-4 \xC3\x89t\xC3\xA9");
}

static void test_contains_ci(void **state)
{
	assert_true(text_contains_ci("Large Language Models", "language"));
	assert_true(text_contains_ci("Large Language Models", "e l"));
	assert_true(text_contains_ci("abc", ""));
	assert_true(text_contains_ci("ABC", "abc"));
	assert_false(text_contains_ci("Large", "larger"));
	assert_false(text_contains_ci("", "a"));
	assert_false(text_contains_ci("Diffusion", "difusion"));
}

/* Collects every token of s joined by '|'. */
static void tokens(const char *s, char *out, size_t outsz)
{
	size_t pos = 0, start, len, o = 0;

	out[0] = '\0';
	while (text_next_token(s, &pos, &start, &len)) {
		if (o > 0 && o + 1 < outsz)
			out[o++] = '|';
		for (size_t i = 0; i < len && o + 1 < outsz; i++)
			out[o++] = s[start + i];
		out[o] = '\0';
	}
}

static void test_tokens_split_on_punctuation(void **state)
{
	char out[128];

	tokens("GPT-4, a (new) model's test!", out, sizeof(out));
	assert_string_equal(out, "GPT|4|a|new|model|s|test");
}

static void test_tokens_keep_non_ascii_runs(void **state)
{
	char out[128];

	tokens("caf\xC3\xA9 na\xC3\xAFve", out, sizeof(out));
	assert_string_equal(out, "caf\xC3\xA9|na\xC3\xAFve");
}

static void test_tokens_none(void **state)
{
	size_t pos = 0, start = 99, len = 99;

	assert_false(text_next_token("  -- !! ", &pos, &start, &len));
	assert_int_equal(pos, 8);
	pos = 0;
	assert_false(text_next_token("", &pos, &start, &len));
}

static void test_tokens_positions(void **state)
{
	size_t pos = 0, start, len;

	assert_true(text_next_token("  ab cde", &pos, &start, &len));
	assert_int_equal(start, 2);
	assert_int_equal(len, 2);
	assert_int_equal(pos, 4);
	assert_true(text_next_token("  ab cde", &pos, &start, &len));
	assert_int_equal(start, 5);
	assert_int_equal(len, 3);
	assert_false(text_next_token("  ab cde", &pos, &start, &len));
}

static void check_excerpt(const char *s, size_t max, const char *want)
{
	char *got = text_excerpt(s, max);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_true(strlen(got) <= max);
	free(got);
}

static void test_excerpt_short_text_unchanged(void **state)
{
	check_excerpt("One. Two.", 9, "One. Two.");
	check_excerpt("One. Two.", 100, "One. Two.");
}

static void test_excerpt_cuts_at_sentence(void **state)
{
	/* "First one. " is 11 bytes; 10 + " …" (4) = 14 fits in 20. */
	check_excerpt(
	    "First one. Second sentence here.", 20, "First one. " ELLIPSIS);
}

static void test_excerpt_prefers_last_sentence_that_fits(void **state)
{
	check_excerpt("A b. C d. E f g h i j k.", 14, "A b. C d. " ELLIPSIS);
}

static void test_excerpt_cuts_at_word(void **state)
{
	/* No sentence end fits in 12: "alpha beta" (10) + "…" (3) = 13 is
	 * too long, so "alpha" is kept. */
	check_excerpt("alpha beta gamma delta", 12, "alpha" ELLIPSIS);
	check_excerpt("alpha beta gamma delta", 13, "alpha beta" ELLIPSIS);
}

static void test_excerpt_long_word_cut_on_char_boundary(void **state)
{
	/* "ééééé" is 10 bytes; 8 - 3 = 5 bytes leave two é. */
	check_excerpt("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 8,
	    "\xC3\xA9\xC3\xA9" ELLIPSIS);
}

static void test_excerpt_tiny_budget(void **state)
{
	check_excerpt("abcdef", 2, "");
	check_excerpt("abcdef", 3, ELLIPSIS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean_plain_ascii_unchanged),
	    cmocka_unit_test(test_clean_collapses_and_trims_space),
	    cmocka_unit_test(test_clean_nbsp_is_space),
	    cmocka_unit_test(test_clean_keeps_valid_multibyte),
	    cmocka_unit_test(test_clean_drops_c0_controls),
	    cmocka_unit_test(test_clean_drops_nul_inside_length),
	    cmocka_unit_test(test_clean_drops_del_and_c1),
	    cmocka_unit_test(test_clean_drops_fffe_ffff),
	    cmocka_unit_test(test_clean_drops_encoded_surrogates),
	    cmocka_unit_test(test_clean_keeps_fffd_itself),
	    cmocka_unit_test(test_clean_overlong_becomes_fffd),
	    cmocka_unit_test(test_clean_beyond_10ffff_becomes_fffd),
	    cmocka_unit_test(test_clean_invalid_lead_bytes),
	    cmocka_unit_test(test_clean_stray_continuation),
	    cmocka_unit_test(test_clean_truncated_sequence),
	    cmocka_unit_test(test_clean_respects_len),
	    cmocka_unit_test(test_clean_cut_at_max_bytes),
	    cmocka_unit_test(test_clean_cut_on_char_boundary),
	    cmocka_unit_test(test_clean_cut_never_leaves_trailing_space),
	    cmocka_unit_test(test_clean_empty_results),
	    cmocka_unit_test(test_clean_opt_null_when_empty),
	    cmocka_unit_test(test_is_clean_accepts_valid),
	    cmocka_unit_test(test_is_clean_rejects_bad),
	    cmocka_unit_test(test_lower_ascii),
	    cmocka_unit_test(test_contains_ci),
	    cmocka_unit_test(test_tokens_split_on_punctuation),
	    cmocka_unit_test(test_tokens_keep_non_ascii_runs),
	    cmocka_unit_test(test_tokens_none),
	    cmocka_unit_test(test_tokens_positions),
	    cmocka_unit_test(test_excerpt_short_text_unchanged),
	    cmocka_unit_test(test_excerpt_cuts_at_sentence),
	    cmocka_unit_test(test_excerpt_prefers_last_sentence_that_fits),
	    cmocka_unit_test(test_excerpt_cuts_at_word),
	    cmocka_unit_test(test_excerpt_long_word_cut_on_char_boundary),
	    cmocka_unit_test(test_excerpt_tiny_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
