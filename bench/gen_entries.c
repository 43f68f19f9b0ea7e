/*
 * gen_entries: fills a paperwire database with N synthetic entries shaped
 * like real Hugging Face papers (about 1.2 KB of abstract, ten authors,
 * keywords, counters), through the store's own API, for benchmarks.
 *
 * usage: gen_entries DATABASE N [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "entry.h"
#include "store.h"

static const char *const words[] = {"diffusion", "transformer", "language",
    "model", "agent", "reasoning", "vision", "speech", "retrieval", "alignment",
    "benchmark", "policy", "reinforcement", "learning", "graph", "robot",
    "video", "image", "audio", "token", "attention", "sparse", "mixture",
    "experts", "quantization", "distillation", "memory", "planning",
    "multimodal", "evaluation", "safety", "synthetic", "data", "scaling",
    "efficient", "inference", "decoding", "speculative", "latent", "generation",
    "segmentation", "detection", "tracking", "embedding", "contrastive",
    "pretraining", "finetuning", "instruction", "preference", "reward"};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static const char *const filler[] = {"we", "propose", "a", "novel", "method",
    "for", "the", "of", "and", "results", "show", "that", "our", "approach",
    "improves", "over", "baselines", "on", "several", "tasks", "with", "in",
    "to", "is", "this", "paper", "study", "large", "performance", "framework",
    "experiments", "demonstrate", "state", "art", "across", "using", "training",
    "models", "new", "dataset", "which", "can", "be", "by"};
#define NFILLER (sizeof(filler) / sizeof(filler[0]))

/* Text of n words: mostly filler, with the entry's topic words mixed in,
 * so each topic word appears in a few percent of entries, as real
 * subjects do, rather than in all of them. */
static char *sentence(unsigned *seed, int n, const int topics[3])
{
	char *s = malloc((size_t)n * 16 + 2);
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		const char *w = rand_r(seed) % 8 == 0
		                    ? words[topics[rand_r(seed) % 3]]
		                    : filler[rand_r(seed) % NFILLER];
		size_t wl = strlen(w);

		if (i > 0)
			s[len++] = ' ';
		memcpy(s + len, w, wl);
		len += wl;
	}
	s[len] = '\0';
	return s;
}

int main(int argc, char **argv)
{
	struct pw_error err;
	struct store *st;
	unsigned seed;
	long n;
	int64_t now = (int64_t)time(NULL);

	if (argc < 3) {
		fprintf(stderr, "usage: %s DATABASE N [SEED]\n", argv[0]);
		return 2;
	}
	n = strtol(argv[2], NULL, 10);
	seed = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 42u;
	st = store_open(argv[1], &err);
	if (st == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	for (long i = 0; i < n; i += 5000) {
		if (store_begin(st, &err) != 0)
			goto fail;
		for (long j = i; j < n && j < i + 5000; j++) {
			struct entry *e = entry_new();
			char id[64], url[128];
			int topics[3];

			for (int t = 0; t < 3; t++)
				topics[t] = rand_r(&seed) % NWORDS;

			snprintf(id, sizeof(id), "arxiv:%04ld.%05ld",
			    2000 + j / 90000, j % 90000);
			e->id = strdup(id);
			e->title =
			    sentence(&seed, 8 + rand_r(&seed) % 6, topics);
			e->summary =
			    sentence(&seed, 150 + rand_r(&seed) % 40, topics);
			for (int a = 0; a < 10; a++) {
				char name[48];

				snprintf(name, sizeof(name),
				    "Author %c. Name%d",
				    'A' + rand_r(&seed) % 26,
				    rand_r(&seed) % 5000);
				strv_push(&e->authors, name);
			}
			for (int k = 0; k < 3; k++)
				strv_push(&e->ai_keywords, words[topics[k]]);
			e->upvotes = rand_r(&seed) % 100 < 80
			                 ? rand_r(&seed) % 10
			                 : rand_r(&seed) % 300;
			e->comments = rand_r(&seed) % 6;
			if (rand_r(&seed) % 3 == 0) {
				snprintf(url, sizeof(url),
				    "https://github.com/org/repo%ld", j);
				e->github_repo = strdup(url);
				e->github_stars = rand_r(&seed) % 2000;
			}
			e->published_at = now - j * 60;
			snprintf(url, sizeof(url),
			    "https://huggingface.co/papers/%s", id + 6);
			e->hf_url = strdup(url);
			strv_push(&e->sources, "bench");
			if (store_upsert(
			        st, e, now - (n - j) * 30, NULL, &err) != 0) {
				entry_free(e);
				goto fail;
			}
			entry_free(e);
		}
		if (store_commit(st, &err) != 0)
			goto fail;
	}
	store_close(st);
	return 0;
fail:
	fprintf(stderr, "%s\n", err.msg);
	store_close(st);
	return 1;
}
