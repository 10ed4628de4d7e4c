/* textnorm: folding, words, and telling text from everything else. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "textnorm.h"

static char *fold(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    size_t k = textnorm_fold(s, n, out);
    cr_assert_leq(k, n);
    cr_assert_eq(out[k], '\0');
    return out;
}

Test(textnorm, folds_what_word_processors_write)
{
    static const char *const cases[][2] = {
        {"I won\xE2\x80\x99t", "i won't"},                       /* right single quote */
        {"DON\xE2\x80\x98T", "don't"},                           /* left single quote */
        {"\xE2\x80\x9CSafe\xE2\x80\x9D", "\"safe\""},            /* curly double quotes */
        {"Years 3\xE2\x80\x93" "6", "years 3-6"},                /* en dash */
        {"rules\xE2\x80\x94" "all", "rules-all"},                   /* em dash */
        {"wait\xE2\x80\xA6", "wait..."},                         /* ellipsis */
        {"no\xC2\xA0" "break", "no break"},                      /* no-break space */
        {"e\xC2\xAD" "safety", "esafety"},                       /* soft hyphen vanishes */
        {"\xE2\x9C\x93 Yes \xE2\x98\x90", "  yes  "},            /* tick and box */
        {"\xC3\x89" "COLE", "\xC3\xA9" "cole"},                  /* Latin-1 capital */
        {"Ysgol \xC5\xB5", "ysgol \xC5\xB5"},                    /* other letters kept */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *f = fold(cases[i][0]);
        cr_expect_str_eq(f, cases[i][1], "case %zu", i);
        free(f);
    }
}

Test(textnorm, whole_words_and_marks)
{
    const char *s = "don't use wi-fi, e.g. at 3-6 & 1.5; (yes)";
    static const char *const want[] = {"don't", "use", "wi-fi", ",", "e.g", ".", "at", "3", "-",
                                       "6", "&", "1.5", ";", "(", "yes", ")"};
    size_t pos = 0, a, b, k = 0, n = strlen(s);
    textnorm_kind kind;
    while ((kind = textnorm_next(s, n, &pos, &a, &b)) != TEXTNORM_END) {
        cr_assert_lt(k, sizeof want / sizeof want[0], "extra token %.*s", (int)(b - a), s + a);
        cr_expect_eq(b - a, strlen(want[k]), "token %zu: %.*s", k, (int)(b - a), s + a);
        cr_expect(!strncmp(s + a, want[k], b - a), "token %zu: %.*s", k, (int)(b - a), s + a);
        k++;
    }
    cr_expect_eq(k, sizeof want / sizeof want[0]);
}

static void refused(const char *data, size_t len, int line, int col, const char *msg)
{
    textnorm_problem p;
    cr_assert(!textnorm_check_input(data, len, &p), "taken as text: %s", msg);
    cr_expect_eq(p.line, line);
    cr_expect_eq(p.col, col);
    cr_expect_str_eq(p.message, msg);
    free(p.message);
}

Test(textnorm, refuses_what_is_not_text)
{
    static const char utf16le[] = "\xFF\xFE#\0 \0R\0u\0l\0e\0s\0";
    refused(utf16le, sizeof utf16le - 1, 1, 1,
            "the draft is UTF-16 text: save it as UTF-8 (in Word: Save As, Plain Text, "
            "Unicode (UTF-8))");
    static const char utf16be[] = "\xFE\xFF\0#\0 \0R\0u\0l\0e\0s";
    refused(utf16be, sizeof utf16be - 1, 1, 1,
            "the draft is UTF-16 text: save it as UTF-8 (in Word: Save As, Plain Text, "
            "Unicode (UTF-8))");
    /* UTF-16 saved without a byte order mark */
    static const char bare16[] = "#\0 \0R\0u\0l\0e\0s\0\n\0";
    refused(bare16, sizeof bare16 - 1, 1, 1,
            "the draft is UTF-16 text: save it as UTF-8 (in Word: Save As, Plain Text, "
            "Unicode (UTF-8))");
    static const char docx[] = "PK\3\4\x14\0\0\0\0\0[Content_Types].xml...word/document.xml";
    refused(docx, sizeof docx - 1, 1, 1,
            "the draft is a Word document (.docx), not text: save it as plain text or Markdown "
            "(for example `pandoc -t commonmark draft.docx -o draft.md`)");
    refused("%PDF-1.7\n", 9, 1, 1,
            "the draft is a PDF, not text: lint the Markdown or text it was made from");
    refused("\x89PNG\r\n\x1a\n", 8, 1, 1, "the draft is an image, not text");
    static const char nul[] = "# Rules\n\nI will\0 be kind.\n";
    refused(nul, sizeof nul - 1, 3, 7,
            "the draft holds the control byte 0x00, so it is not a text file: save it as plain "
            "UTF-8 text");
    /* Windows-1252: a curly apostrophe as the single byte 0x92 */
    static const char cp1252[] = "# Rules\nI won\x92t\n";
    refused(cp1252, sizeof cp1252 - 1, 2, 6,
            "byte 0x92 is not UTF-8: save the draft as UTF-8 text (it may be in a Windows code "
            "page)");
}

Test(textnorm, takes_utf8_text)
{
    textnorm_problem p;
    const char *ok[] = {
        "", "# Rules\r\n\r\n- I will\tbe kind.\f\n",
        "\xEF\xBB\xBF# Rules with a byte order mark\n",
        "Ysgol Glan-y-M\xC3\xB4r: \xE2\x80\x9Cwon\xE2\x80\x99t\xE2\x80\x9D \xF0\x9F\x98\x80\n",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cr_expect(textnorm_check_input(ok[i], strlen(ok[i]), &p), "case %zu: %s", i,
                  p.message ? p.message : "");
        free(p.message);
    }
}

/* Long runs of ASCII are folded and checked eight bytes at a time: every
 * byte of such a run, wherever it falls in its group of eight, must come
 * out as one byte at a time would have it. */
Test(textnorm, long_ascii_runs)
{
    const char *s = "@AZ[`az{ Keep YOUR Password SECRET, Zoe! ~\x7F";
    char *f = fold(s);
    cr_expect_str_eq(f, "@az[`az{ keep your password secret, zoe! ~\x7F");
    free(f);
    /* a control byte, DEL or a stray byte at each place in a group of eight */
    for (size_t at = 0; at < 20; at++) {
        char text[40];
        memset(text, 'a', sizeof text);
        memcpy(text, "Ab\nCd", 5);
        static const char bad[] = {'\x01', '\x7F', '\x92'};
        for (size_t b = 0; b < sizeof bad; b++) {
            text[5 + at] = bad[b];
            textnorm_problem p;
            cr_expect(!textnorm_check_input(text, sizeof text, &p), "byte %zu at %zu", b, at);
            cr_expect_eq(p.line, 2, "byte %zu at %zu", b, at);
            cr_expect_eq(p.col, (int)(3 + at), "byte %zu at %zu", b, at);
            free(p.message);
        }
    }
}
