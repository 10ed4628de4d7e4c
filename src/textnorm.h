/* textnorm: a draft's text made comparable before it is judged.
 *
 * Word processors write ’ for ', “ ” for ", – and — for -, and non-breaking
 * spaces; a draft that says "won’t" must read as one that says "won't".
 * textnorm_fold maps those to ASCII and letters to lower case; textnorm_word
 * then cuts the folded text into whole words and punctuation marks.
 *
 * Before any of that, textnorm_check_input tells a UTF-8 text file from
 * everything else a policy folder holds (a UTF-16 export, a .docx, a PDF,
 * an image), so that such a file gets one clear error and nothing more. */
#ifndef AUPC_TEXTNORM_H
#define AUPC_TEXTNORM_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int line, col;     /* where the problem shows, 1-based */
    char *message;     /* owned */
} textnorm_problem;

/* True when DATA (LEN bytes) is UTF-8 text. Otherwise false, with *P filled
 * (free P->message). */
bool textnorm_check_input(const char *data, size_t len, textnorm_problem *p);

/* Fold S (N bytes) into OUT, which has room for N + 1 bytes: ASCII and
 * Latin-1 capitals to lower case, typographic apostrophes and quotes to '
 * and ", dashes and minus signs to -, the ellipsis to "...", every kind of
 * space to ' ', and symbols (ticks, boxes, arrows, emoji) to ' '. Soft
 * hyphens and zero-width characters vanish. The result is NUL-terminated
 * and never longer than S; its length is returned. */
size_t textnorm_fold(const char *s, size_t n, char *out);

/* A token of folded text: a word ([a-z0-9], bytes >= 0x80, and ' - . inside
 * a word: "don't", "wi-fi", "e.g"), or one mark of punctuation. */
typedef enum { TEXTNORM_END, TEXTNORM_WORD, TEXTNORM_MARK } textnorm_kind;

/* The next token of folded text S (N bytes) at or after *POS: its span is
 * [*START, *END), and *POS moves past it. '&' reads as the word "and". */
textnorm_kind textnorm_next(const char *s, size_t n, size_t *pos, size_t *start, size_t *end);

#endif
