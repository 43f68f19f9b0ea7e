/*
 * driver.c: replays fuzz inputs without libFuzzer, so every fuzz target's
 * corpus runs as an ordinary ctest test under gcc (and the sanitizer
 * build). usage: fuzz_X FILE|DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	long len;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 ||
	    (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		fprintf(stderr, "cannot read %s\n", path);
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	/* An exact-size copy, so reads past the end are caught by ASan. */
	data = malloc(len > 0 ? (size_t)len : 1);
	if (data == NULL || fread(data, 1, (size_t)len, fp) != (size_t)len) {
		fprintf(stderr, "cannot read %s\n", path);
		free(data);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, (size_t)len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int n = 0, failed = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *de;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "no such input: %s\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed |= replay_file(argv[i]);
			n++;
			continue;
		}
		d = opendir(argv[i]);
		while (d != NULL && (de = readdir(d)) != NULL) {
			char path[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(
			    path, sizeof(path), "%s/%s", argv[i], de->d_name);
			failed |= replay_file(path);
			n++;
		}
		if (d != NULL)
			closedir(d);
	}
	printf("%d passed, %d failed\n", failed ? n - 1 : n, failed ? 1 : 0);
	return failed ? 1 : 0;
}
