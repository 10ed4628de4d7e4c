/* readability: reading-level measures over plain text and over a document's
 * AST.
 *
 * THE DOCUMENTED HEURISTIC. Every count below follows these rules, and the
 * tests in tests/test_readability.c hold them to hand-computed values.
 *
 * Words. A word is a maximal run of letters and digits (ASCII letters and
 * digits, and any non-ASCII code point outside the punctuation, symbol,
 * space and emoji blocks). Inside a word these are kept when a letter or
 * digit follows them: an apostrophe (' or U+2019), a hyphen (-, U+2010,
 * U+2011) or a soft hyphen (U+00AD); between two digits also '.', ',' and
 * ':' (3.5, 1,000, 10:30); and '.' between single letters (e.g., i.e.,
 * a.m., U.K.). So "don't", "e-safety", "3.5" and "e.g." are one word each,
 * and "www.example.com" is three.
 *
 * Syllables. A hyphenated word's syllables are the sum over its parts. For
 * each part:
 *  - a part holding digits counts one syllable per run of digits plus one per
 *    vowel group among its letters ("2026" 1, "3.5" 2, "KS2" 1, "1st" 1);
 *  - an all-capital part of 2 to 5 letters with no vowel (A E I O U) is an
 *    initialism read letter by letter: one syllable a letter, W three
 *    ("DSL" 3, "NSPCC" 5, "WWW" 9), and so is a dotted abbreviation ("e.g."
 *    2, "a.m." 2); so is an all-capital part found in a
 *    small table of initialisms with vowels ("AI" 2, "ICT" 3, "UK" 2,
 *    "IT" 2, "PSHE" 4, "CEOP" 2 as said); other capitals ("NOT") are read
 *    as words;
 *  - otherwise the part is lower-cased (apostrophes dropped, Latin-1 accents
 *    stripped, other letters taken as consonants), looked up in a sorted
 *    exception table of common words the rules get wrong (counts from the
 *    CMU Pronouncing Dictionary, except "ai" which we read as the initialism
 *    A.I., 2), and failing that counted by rule:
 *      1. count vowel groups: runs of a e i o u y, where u after q is a
 *         consonant (quite) and y followed by a vowel is a consonant (yes,
 *         player, buying) except before i after a consonant, where the y
 *         and the i are two groups (trying, bullying), and before a final
 *         e, es or ed (goodbye, eyes, stayed);
 *      2. a final e after a consonant is silent (make, while), except in
 *         consonant + le / re (table, centre); so is the e of a final -es
 *         (makes, rules) except after s x z c g ch sh or consonant + l/r
 *         (passes, pages, watches, tables), and the e of a final -ed (liked,
 *         used) except after t d or consonant + l/r (wanted, needed,
 *         handled); none of these applies to a one-group word (the, be);
 *      3. an e before the suffixes -lessly -fully -ment(s) -less -ness -ful
 *         -ly -ty is silent after vowel + consonant or after c/g (safely,
 *         statement, carefully, announcement, safety);
 *      4. -gue(s) after a vowel or n loses the ue (league, tongue); the e
 *         of some-, there-, where- before a consonant is silent (somebody,
 *         therefore); reali-, react-, creat- (not creatur-) gain one
 *         (reality, reaction, creative);
 *      5. add one for each of these vowel pairs that are two syllables:
 *         "ia" after a consonant other than c t s g l (but l in -liab-), and
 *         not in -iag- (media, reliable, but social, special, William,
 *         marriage); "io" at the end of a word or before a final s (radio,
 *         studios), or after a consonant other than t s x c g l n h and not
 *         in -iour (violent, previous, but nation, religion, million,
 *         opinion, fashion, behaviour); "ie" before t after a consonant
 *         (quiet, society), or before nt/nc after a consonant other than
 *         c t s (client, audience, but patient, ancient); "iu" after a
 *         consonant (medium); "ua" after a consonant other than q g (actual,
 *         usual, but quality, language); "ue" before l n t after a consonant
 *         other than q g (fuel, fluent); "oe" before a consonant other than
 *         s (poem, whoever, but does); "uou" (continuous); "-ing" after a
 *         vowel other than i (being, going, seeing); "-ier", "-iest" after a
 *         consonant (easier, happiest); "-ism" (racism); "n't" after a
 *         consonant (didn't, couldn't, but don't, can't);
 *      6. at least one.
 *    Measured against the CMU dictionary over the 5,000 commonest spoken
 *    English words, about 2.5% of words come out wrong, half of them names
 *    and words the dictionary itself splits unusually ("fire" 2, "hour" 2).
 *
 * Sentences. A sentence ends at a run of . ! ? or U+2026 (optionally
 * followed by closing quotes or brackets) that is followed by white space
 * or the end of the text; a '.' between digits never ends one (3.5), and
 * neither does a single '.' right after one of these abbreviations:
 * e.g., i.e., etc., cf., vs., viz., approx., a.m., p.m., Mr., Mrs., Ms.,
 * Mx., Dr., Prof., St., Jr., Sr., No. (when a digit follows). The end of a
 * block also ends a sentence, and in plain text so does a blank line. A
 * sentence counts only if it has at least one word. (A single capital
 * followed by '.' is taken to end a sentence, so "in Annex A." ends one,
 * and the initial in "J. Smith" does too: a known limitation.)
 *
 * Documents. Every heading and every paragraph (including those inside list
 * items and block quotes) is one block of text, split into sentences as
 * above; so a heading or a list item with no full stop is still a sentence.
 * Inside a block: text and code spans count; link text counts, link URLs
 * don't; image descriptions (alt text) don't, as a sighted reader never
 * sees them; inline HTML is ignored; soft and hard line breaks are spaces.
 * Code blocks, HTML blocks (e.g. <!-- comments -->) and thematic breaks are
 * ignored. The walk uses cmark_iter, so nesting depth costs no stack.
 * A sentence's line is its block's start line (cmark_node_get_start_line)
 * plus the line breaks before the sentence inside the block, or 0 when the
 * block has no source position (nodes built in memory).
 *
 * Measures (standard formulas; words w, sentences s, syllables syl,
 * polysyllables poly = words of 3 or more syllables):
 *   Flesch Reading Ease  206.835 - 1.015 w/s - 84.6 syl/w
 *   Flesch-Kincaid grade 0.39 w/s + 11.8 syl/w - 15.59
 *   SMOG grade           1.0430 sqrt(poly * 30 / s) + 3.1291 (the 30 scales
 *                        any number of sentences to McLaughlin's sample of 30)
 *   words per sentence   w/s
 * With no words every measure is 0 (never NaN or infinity). A sentence's own
 * grade is the FK grade with s = 1.
 */
#include "readability.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/io.h"
#include "util/utf8.h"

/* ---- UTF-8 and character classes ---- */

/* Decode one code point at S (before END) into *CP; return its length. */
static size_t u8_decode(const unsigned char *s, const unsigned char *end, uint32_t *cp)
{
    return utf8_decode((const char *)s, (size_t)(end - s), cp);
}

static bool is_digit_cp(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Classes of ASCII bytes. Drafts are mostly ASCII, so the loops below
 * look a byte up here before decoding UTF-8 at all: a letter or digit, or
 * a byte that may join two parts of a word (' - . , :); a byte that is
 * neither ends a word. */
enum { ASCII_WORD = 1, ASCII_JOIN = 2 };
#define W_(c) [c] = ASCII_WORD
static const unsigned char ascii_class[256] = {   /* 0 from 0x80 up */
    W_('0'), W_('1'), W_('2'), W_('3'), W_('4'), W_('5'), W_('6'), W_('7'), W_('8'), W_('9'),
    W_('A'), W_('B'), W_('C'), W_('D'), W_('E'), W_('F'), W_('G'), W_('H'), W_('I'), W_('J'),
    W_('K'), W_('L'), W_('M'), W_('N'), W_('O'), W_('P'), W_('Q'), W_('R'), W_('S'), W_('T'),
    W_('U'), W_('V'), W_('W'), W_('X'), W_('Y'), W_('Z'),
    W_('a'), W_('b'), W_('c'), W_('d'), W_('e'), W_('f'), W_('g'), W_('h'), W_('i'), W_('j'),
    W_('k'), W_('l'), W_('m'), W_('n'), W_('o'), W_('p'), W_('q'), W_('r'), W_('s'), W_('t'),
    W_('u'), W_('v'), W_('w'), W_('x'), W_('y'), W_('z'),
    ['\''] = ASCII_JOIN, ['-'] = ASCII_JOIN, ['.'] = ASCII_JOIN, [','] = ASCII_JOIN,
    [':'] = ASCII_JOIN,
};
#undef W_

static inline bool is_ascii_word(unsigned char c)
{
    return ascii_class[c] & ASCII_WORD;
}

/* A letter or digit, approximately: see the comment at the top. */
static inline bool is_word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return is_ascii_word((unsigned char)cp);
    if (cp < 0xC0)                       /* Latin-1 punctuation and symbols */
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7)        /* multiplication, division signs */
        return false;
    if (cp >= 0x2000 && cp <= 0x2BFF)    /* punctuation, symbols, arrows, ... */
        return false;
    if (cp >= 0x3000 && cp <= 0x303F)    /* CJK punctuation */
        return false;
    if (cp >= 0xFE00 && cp <= 0xFE0F)    /* variation selectors */
        return false;
    if (cp == 0xFEFF || cp == 0xFFFD || (cp >= 0xFFF0 && cp <= 0xFFFF))
        return false;
    if (cp >= 0x1F000 && cp <= 0x1FAFF)  /* emoji and pictographs */
        return false;
    if (cp >= 0xE0000)                   /* tags, private use */
        return false;
    return true;
}

static bool is_apostrophe_cp(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

static bool is_hyphen_cp(uint32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0xAD;
}

static bool is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* ---- words ---- */

/* Find the next word in [S+I, S+N). Return false if none; otherwise set
 * *START and *END (byte offsets). */
static inline bool next_word(const char *s, size_t n, size_t i, size_t *start, size_t *end)
{
    const unsigned char *u = (const unsigned char *)s, *e = u + n;
    uint32_t cp;
    while (i < n) {
        size_t l = u8_decode(u + i, e, &cp);
        if (is_word_cp(cp))
            break;
        i += l;
    }
    if (i >= n)
        return false;
    *start = i;
    uint32_t prev = 0;
    size_t seg = 0;  /* code points since the word's start or its last '.' */
    while (i < n) {
        unsigned char c = u[i];
        if (is_ascii_word(c)) {
            size_t k = i + 1;
            while (k < n && is_ascii_word(u[k]))
                k++;
            seg += k - i;
            prev = u[k - 1];
            i = k;
            continue;
        }
        if (c < 0x80 && !ascii_class[c])
            break;   /* a space or punctuation that never joins */
        size_t l = u8_decode(u + i, e, &cp);
        if (is_word_cp(cp)) {
            prev = cp;
            seg++;
            i += l;
            continue;
        }
        /* e.g. i.e. a.m. U.K.: single letters joined by '.' */
        if (cp == '.' && seg == 1 && !is_digit_cp(prev) && i + 2 < n
            && ((u[i + 1] | 0x20) >= 'a' && (u[i + 1] | 0x20) <= 'z') && u[i + 2] == '.') {
            prev = u[i + 1];
            seg = 1;
            i += 2;
            continue;
        }
        bool joiner = is_apostrophe_cp(cp) || is_hyphen_cp(cp);
        bool numsep = (cp == '.' || cp == ',' || cp == ':') && is_digit_cp(prev);
        if ((joiner || numsep) && i + l < n) {
            uint32_t next;
            size_t l2 = u8_decode(u + i + l, e, &next);
            if (joiner ? is_word_cp(next) : is_digit_cp(next)) {
                prev = next;
                seg = 1;
                i += l + l2;
                continue;
            }
        }
        break;
    }
    *end = i;
    return true;
}

size_t readability_words(const char *s, size_t n, size_t max)
{
    size_t count = 0, i = 0, a, b;
    while (count < max && next_word(s, n, i, &a, &b)) {
        count++;
        i = b;
    }
    return count;
}

/* ---- syllables ---- */

/* Common words the rules below get wrong, lower case, sorted (strcmp), with
 * their syllable counts from the CMU Pronouncing Dictionary ("ai": the
 * initialism A.I.; "dr": doctor). tests/test_readability.c looks up every
 * entry, which fails if the order is wrong. */
typedef struct {
    const char *word;
    int syllables;
} syl_exception;

static const syl_exception exceptions[] = {
    {"agree", 2},
    {"ai", 2},
    {"anyone", 3},
    {"area", 3},
    {"areas", 3},
    {"because", 2},
    {"behavior", 3},
    {"behaviors", 3},
    {"bluetooth", 2},
    {"business", 2},
    {"businesses", 3},
    {"create", 2},
    {"created", 3},
    {"creates", 2},
    {"creating", 3},
    {"creation", 3},
    {"creative", 3},
    {"device", 2},
    {"devices", 3},
    {"different", 3},
    {"dr", 2},
    {"element", 3},
    {"elements", 3},
    {"email", 2},
    {"emails", 2},
    {"evening", 2},
    {"every", 3},
    {"everybody", 4},
    {"everyday", 3},
    {"everyone", 3},
    {"everything", 3},
    {"everywhere", 3},
    {"framework", 2},
    {"frameworks", 2},
    {"homepage", 2},
    {"homework", 2},
    {"hundred", 2},
    {"hundreds", 2},
    {"idea", 3},
    {"ideas", 3},
    {"involvement", 3},
    {"lifestyle", 2},
    {"lifetime", 2},
    {"likewise", 2},
    {"lion", 2},
    {"livestream", 2},
    {"maybe", 2},
    {"media", 3},
    {"mobile", 2},
    {"mr", 2},
    {"mrs", 2},
    {"ms", 1},
    {"naked", 2},
    {"nuclear", 3},
    {"ok", 2},
    {"online", 2},
    {"password", 2},
    {"passwords", 2},
    {"people", 2},
    {"phone", 1},
    {"phones", 1},
    {"photo", 2},
    {"photos", 2},
    {"police", 2},
    {"realise", 3},
    {"realised", 3},
    {"realize", 3},
    {"realized", 3},
    {"reinforce", 3},
    {"reinforced", 3},
    {"reinforcement", 4},
    {"reinforcing", 4},
    {"safeguard", 2},
    {"safeguarding", 3},
    {"safeguards", 2},
    {"safely", 2},
    {"science", 2},
    {"scientific", 4},
    {"scientist", 3},
    {"scientists", 3},
    {"social", 2},
    {"soldier", 2},
    {"someone", 2},
    {"something", 2},
    {"sometimes", 2},
    {"stakeholder", 3},
    {"stakeholders", 3},
    {"tablet", 2},
    {"theater", 3},
    {"theatre", 3},
    {"timetable", 3},
    {"use", 1},
    {"used", 1},
    {"user", 2},
    {"users", 2},
    {"using", 2},
    {"video", 3},
    {"videos", 3},
    {"website", 2},
    {"websites", 2},
    {"wednesday", 2},
    {"whenever", 3},
    {"whereas", 2},
    {"wherever", 3},
    {"wicked", 2},
    {"wifi", 2},
};

/* Initialisms written in capitals that hold a vowel, read letter by letter
 * (or as said: CEOP "see-op"); sorted, lower case. */
static const syl_exception initialisms[] = {
    {"ai", 2},
    {"byod", 4},
    {"ceo", 3},
    {"ceop", 2},
    {"eu", 2},
    {"eyfs", 4},
    {"ico", 3},
    {"ict", 3},
    {"id", 2},
    {"ios", 3},
    {"ip", 2},
    {"it", 2},
    {"iwf", 5},
    {"ok", 2},
    {"pe", 2},
    {"pshe", 4},
    {"re", 2},
    {"sen", 3},
    {"uk", 2},
    {"url", 3},
    {"usb", 3},
};

static int exception_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const syl_exception *)elem)->word);
}

static bool is_aeiou(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Is W[I] a vowel? u after q is not (quiet, unique); y is, unless a vowel
 * follows it, but it is before "i" after a consonant (trying, bullying) and
 * before a final e, es or ed (goodbye, eyes, stayed). */
static bool vowel_at(const char *w, size_t n, size_t i)
{
    if (w[i] == 'u')
        return !(i > 0 && w[i - 1] == 'q');
    if (is_aeiou(w[i]))
        return true;
    if (w[i] != 'y')
        return false;
    if (i + 1 >= n || !is_aeiou(w[i + 1]))
        return true;
    if (w[i + 1] == 'i')
        return i > 0 && !vowel_at(w, n, i - 1);
    if (w[i + 1] == 'e')
        return i + 2 == n || (i + 3 == n && (w[n - 1] == 's' || w[n - 1] == 'd'));
    return false;
}

static bool ends_with(const char *w, size_t n, const char *suf)
{
    size_t l = strlen(suf);
    return n >= l && memcmp(w + n - l, suf, l) == 0;
}

/* W[K] is l or r after a different consonant: the "table", "centre"
 * pattern, where the following e is heard. */
static bool syllabic_liquid(const char *w, size_t n, size_t k)
{
    return (w[k] == 'l' || w[k] == 'r') && k >= 1 && !vowel_at(w, n, k - 1)
           && w[k - 1] != w[k];
}

/* Raw count of vowel groups. */
static int vowel_groups(const char *w, size_t n)
{
    int groups = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        bool v = vowel_at(w, n, i);
        if (v && (!in || (w[i] == 'i' && w[i - 1] == 'y')))  /* tr-y-ing */
            groups++;
        in = v;
    }
    return groups;
}

/* The rules for one lower-case word of ASCII letters (N > 0). CONTRACTED_NT:
 * the word was written with n't. */
static int english_syllables(const char *w, size_t n, bool contracted_nt)
{
    const syl_exception *ex = bsearch(w, exceptions, sizeof exceptions / sizeof exceptions[0],
                                      sizeof exceptions[0], exception_cmp);
    if (ex)
        return ex->syllables;

    int syl = vowel_groups(w, n);
    int base = syl;

    /* 2. silent final e, -es, -ed */
    if (base > 1 && n >= 3 && w[n - 1] == 'e') {
        size_t k = n - 2;
        if (!vowel_at(w, n, k) && !syllabic_liquid(w, n, k))
            syl--;
    } else if (base > 1 && n >= 4 && (ends_with(w, n, "es") || ends_with(w, n, "ed"))) {
        size_t k = n - 3;
        if (!vowel_at(w, n, k)) {
            char c = w[k];
            bool heard;
            if (w[n - 1] == 's')
                heard = c == 's' || c == 'x' || c == 'z' || c == 'c' || c == 'g'
                        || (c == 'h' && (w[k - 1] == 'c' || w[k - 1] == 's'));
            else
                heard = c == 't' || c == 'd';
            if (!heard && !syllabic_liquid(w, n, k))
                syl--;
        }
    }

    /* 3. silent e before a suffix */
    static const char *const suffixes[] = {"lessly", "fully", "ments", "ment", "less",
                                           "ness", "ful", "ly", "ty"};  /* longest first */
    for (size_t s = 0; s < sizeof suffixes / sizeof suffixes[0]; s++) {
        size_t l = strlen(suffixes[s]);
        if (n < l + 3 || !ends_with(w, n, suffixes[s]))
            continue;
        size_t p = n - l - 1;
        if (w[p] == 'e' && !vowel_at(w, n, p - 1) && !syllabic_liquid(w, n, p - 1)) {
            bool soft = w[p - 1] == 'c' || w[p - 1] == 'g';
            bool vowel_before = false;
            for (size_t i = 0; i + 1 < p; i++)
                vowel_before |= vowel_at(w, n, i);
            if (vowel_before && (vowel_at(w, n, p - 2) || soft))
                syl--;
        }
        break;
    }

    /* 4. -gue after a vowel or n */
    if (syl > 1) {
        size_t m = ends_with(w, n, "s") ? n - 1 : n;
        if (ends_with(w, m, "gue") && m >= 4 && (vowel_at(w, n, m - 4) || w[m - 4] == 'n'))
            syl--;
    }
    /* compounds: some-, there-, where- before a consonant */
    if (n > 5 && (strncmp(w, "some", 4) == 0) && !vowel_at(w, n, 4))
        syl--;
    else if (n > 6 && (strncmp(w, "there", 5) == 0 || strncmp(w, "where", 5) == 0)
             && !vowel_at(w, n, 5))
        syl--;
    /* re-al-, re-act, cre-at- */
    if (strncmp(w, "reali", 5) == 0 || strncmp(w, "react", 5) == 0
        || (strncmp(w, "creat", 5) == 0 && strncmp(w, "creatur", 7) != 0))
        syl++;

    /* 5. vowel pairs heard as two syllables */
    for (size_t i = 1; i + 1 < n; i++) {
        char prev = w[i - 1], a = w[i], b = w[i + 1];
        bool cons = !vowel_at(w, n, i - 1);
        if (a == 'i' && b == 'a') {
            if (cons && !strchr("ctsg", prev) && !(i + 2 < n && w[i + 2] == 'g')
                && (prev != 'l' || (i + 2 < n && w[i + 2] == 'b')))
                syl++;
        } else if (a == 'i' && b == 'e') {
            bool ient = i + 3 < n && w[i + 2] == 'n' && (w[i + 3] == 't' || w[i + 3] == 'c');
            bool iet = i + 2 < n && w[i + 2] == 't';
            if (cons && (iet || (ient && !strchr("cts", prev))))
                syl++;
        } else if (a == 'u' && b == 'e') {
            if (cons && prev != 'q' && prev != 'g' && i + 2 < n && strchr("lnt", w[i + 2]))
                syl++;
        } else if (a == 'o' && b == 'e') {
            if (i + 2 < n && !vowel_at(w, n, i + 2) && w[i + 2] != 's')
                syl++;
        } else if (a == 'i' && b == 'o') {
            bool at_end = i + 2 == n || (i + 3 == n && w[n - 1] == 's');
            bool iour = i + 3 < n && w[i + 2] == 'u' && w[i + 3] == 'r';
            if (at_end || (cons && !iour && !strchr("tsxcglnh", prev)))
                syl++;
        } else if (a == 'i' && b == 'u') {
            if (cons)
                syl++;
        } else if (a == 'u' && b == 'a') {
            if (cons && prev != 'q' && prev != 'g')
                syl++;
        } else if (a == 'u' && b == 'o' && i + 2 < n && w[i + 2] == 'u') {
            syl++;
        }
    }
    if (base >= 1 && (ends_with(w, n, "ing") || ends_with(w, n, "ings"))) {
        size_t k = n - (w[n - 1] == 's' ? 4 : 3);
        if (k >= 1 && is_aeiou(w[k - 1]) && w[k - 1] != 'i')
            syl++;
    }
    if (base > 1) {
        size_t k = 0;
        if (ends_with(w, n, "ier"))
            k = n - 3;
        else if (ends_with(w, n, "iers") || ends_with(w, n, "iest"))
            k = n - 4;
        if (k >= 1 && !vowel_at(w, n, k - 1))
            syl++;
    }
    if (ends_with(w, n, "ism") || ends_with(w, n, "isms"))
        syl++;
    if (contracted_nt && n >= 3 && ends_with(w, n, "nt") && !vowel_at(w, n, n - 3))
        syl++;

    return syl < 1 ? 1 : syl;
}

/* Lower-case ASCII letter for a Latin letter code point, 'x' (a consonant)
 * for other letters. */
static char fold_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (char)(cp | 0x20);
    /* Latin-1 Supplement, U+00C0..U+00FF, case folded */
    static const char latin1[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
                                 "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    switch (cp) {
    case 0x0174: case 0x0175: return 'w'; /* Welsh w circumflex */
    case 0x0176: case 0x0177: case 0x0178: return 'y';
    case 0x0100: case 0x0101: case 0x0102: case 0x0103: case 0x0104: case 0x0105: return 'a';
    case 0x0112: case 0x0113: case 0x0114: case 0x0115: case 0x0116: case 0x0117:
    case 0x0118: case 0x0119: case 0x011A: case 0x011B: return 'e';
    case 0x0128: case 0x0129: case 0x012A: case 0x012B: case 0x012C: case 0x012D:
    case 0x012E: case 0x012F: case 0x0130: case 0x0131: return 'i';
    case 0x014C: case 0x014D: case 0x014E: case 0x014F: case 0x0150: case 0x0151: return 'o';
    case 0x0168: case 0x0169: case 0x016A: case 0x016B: case 0x016C: case 0x016D:
    case 0x016E: case 0x016F: case 0x0170: case 0x0171: case 0x0172: case 0x0173: return 'u';
    default: return 'x';
    }
}

/* One hyphen-free part of a word. */
static int part_syllables(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s, *e = u + n;
    char stack[64];
    char *w = n < sizeof stack ? stack : xmalloc(n + 1);
    size_t len = 0, upper = 0;
    int digit_groups = 0;
    bool in_digits = false, nt = false, dotted = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = u8_decode(u + i, e, &cp);
        i += l;
        if (is_digit_cp(cp)) {
            if (!in_digits)
                digit_groups++;
            in_digits = true;
            continue;
        }
        in_digits = false;
        if (is_apostrophe_cp(cp)) {
            /* n't at the end of the part */
            if (len > 0 && w[len - 1] == 'n' && i + 1 == n && (s[i] | 0x20) == 't')
                nt = true;
            continue;
        }
        if (cp == '.' && digit_groups == 0)
            dotted = true;
        if (!is_word_cp(cp))
            continue;  /* '.', ',' or ':' between digits; '.' in e.g. */
        if (cp >= 'A' && cp <= 'Z')
            upper++;
        w[len++] = fold_letter(cp);
    }
    w[len] = '\0';

    int syl;
    const syl_exception *ex;
    if (digit_groups > 0) {
        syl = digit_groups + vowel_groups(w, len);
    } else if (len == 0) {
        syl = 0;
    } else if (dotted || (upper == len && len >= 2 && len <= 5 && !strpbrk(w, "aeiou"))) {
        syl = 0;
        for (size_t i = 0; i < len; i++)
            syl += w[i] == 'w' ? 3 : 1;
    } else if (upper == len && len >= 2
               && (ex = bsearch(w, initialisms, sizeof initialisms / sizeof initialisms[0],
                                sizeof initialisms[0], exception_cmp)) != NULL) {
        syl = ex->syllables;
    } else {
        syl = english_syllables(w, len, nt);
    }
    if (w != stack)
        free(w);
    return syl;
}

/* Syllables of the word [S, S+N) as next_word found it. */
/* Words recur (a long draft says "the" thousands of times), so each thread
 * keeps the counts of the words it met last: two per set of a table big
 * enough for a long draft's few thousand distinct words, the newer first. */
enum { SYLLABLE_SETS = 2048, SYLLABLE_WORD = 22 };
typedef struct {
    unsigned char len;
    signed char syllables;
    char word[SYLLABLE_WORD];
} syllable_slot;
static _Thread_local syllable_slot syllable_cache[SYLLABLE_SETS][2];

static int count_word_syllables(const char *s, size_t n);

static bool slot_holds(const syllable_slot *slot, const char *s, size_t n)
{
    return slot->len == n && !memcmp(slot->word, s, n);
}

static inline int word_syllables(const char *s, size_t n)
{
    if (n == 0 || n > SYLLABLE_WORD)
        return count_word_syllables(s, n);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    syllable_slot *set = syllable_cache[h % SYLLABLE_SETS];
    if (slot_holds(&set[0], s, n))
        return set[0].syllables;
    if (slot_holds(&set[1], s, n))
        return set[1].syllables;
    int syl = count_word_syllables(s, n);
    if (syl <= 127) {
        set[1] = set[0];
        set[0].len = (unsigned char)n;
        set[0].syllables = (signed char)syl;
        memcpy(set[0].word, s, n);
    }
    return syl;
}

static int count_word_syllables(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s, *e = u + n;
    int total = 0;
    size_t part = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = u8_decode(u + i, e, &cp);
        if (is_hyphen_cp(cp)) {
            total += part_syllables(s + part, i - part);
            part = i + l;
        }
        i += l;
    }
    total += part_syllables(s + part, n - part);
    return total;
}

int readability_syllables(const char *word)
{
    if (!word)
        return 0;
    size_t n = strlen(word), i = 0, a, b;
    int total = 0;
    while (next_word(word, n, i, &a, &b)) {
        total += word_syllables(word + a, b - a);
        i = b;
    }
    return total;
}

/* ---- sentences ---- */

static const char *const abbreviations[] = {
    "a.m", "approx", "cf", "dr", "e.g", "etc", "i.e", "jr", "mr", "mrs", "ms",
    "mx", "p.m", "prof", "sr", "st", "viz", "vs",
};

/* Is the text just before the '.' at S+DOT an abbreviation? */
static bool abbreviation_before(const char *s, size_t n, size_t dot)
{
    size_t a = dot;
    while (a > 0 && !is_space_byte((unsigned char)s[a - 1]) && dot - a < 16)
        a--;
    /* drop opening punctuation: ( [ " ' and their typographic forms */
    while (a < dot) {
        unsigned char c = (unsigned char)s[a];
        if (c == '(' || c == '[' || c == '"' || c == '\'')
            a++;
        else if (c == 0xE2 && dot - a >= 3 && (unsigned char)s[a + 1] == 0x80
                 && ((unsigned char)s[a + 2] == 0x98 || (unsigned char)s[a + 2] == 0x9C))
            a += 3;  /* U+2018, U+201C */
        else
            break;
    }
    size_t len = dot - a;
    if (len == 0 || len > 8)
        return false;
    char low[9];
    for (size_t i = 0; i < len; i++) {
        char c = s[a + i];
        low[i] = (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
    }
    low[len] = '\0';
    for (size_t i = 0; i < sizeof abbreviations / sizeof abbreviations[0]; i++)
        if (low[0] == abbreviations[i][0] && strcmp(low, abbreviations[i]) == 0)
            return true;
    /* "No. 5" */
    if (strcmp(low, "no") == 0) {
        size_t j = dot + 1;
        while (j < n && s[j] == ' ')
            j++;
        return j < n && s[j] >= '0' && s[j] <= '9';
    }
    return false;
}

/* If a sentence-ending run starts at S+I, return the offset just past it
 * (past closing quotes and brackets too); otherwise return I. */
static size_t sentence_end(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s, *e = u + n;
    size_t j = i;
    bool terminal = false;
    size_t dots = 0, marks = 0;
    while (j < n) {
        uint32_t cp;
        size_t l = u8_decode(u + j, e, &cp);
        if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026) {
            terminal = true;
            dots += cp == '.';
            marks++;
        } else if (!(terminal && (cp == '"' || cp == '\'' || cp == ')' || cp == ']'
                                  || cp == 0x2019 || cp == 0x201D || cp == 0xBB))) {
            break;
        }
        j += l;
    }
    if (!terminal || j == i)
        return i;
    if (j < n && !is_space_byte(u[j]))
        return i;
    if (marks == 1 && dots == 1 && abbreviation_before(s, n, i))
        return i;
    return j;
}

/* Where the sentences of one block go. */
typedef struct {
    readability_stats *stats;
    /* optional: hand each sentence to FN */
    readability_span_fn fn;
    void *arg;
    /* optional: collect every sentence */
    bool keep;
    readability_sentence *sent;   /* in document order */
    size_t nsent, capsent;
} collector;

static void add_sentence(collector *c, const char *s, size_t a, size_t b, int line,
                         size_t words, size_t syllables, size_t poly)
{
    readability_stats *st = c->stats;
    st->sentences++;
    st->words += words;
    st->syllables += syllables;
    st->polysyllables += poly;
    if (c->fn) {
        size_t e = b;
        while (e > a && is_space_byte((unsigned char)s[e - 1]))
            e--;
        readability_span sp = {a, e, line, words, syllables, poly};
        c->fn(c->arg, &sp);
    }
    if (!c->keep)
        return;
    if (c->nsent == c->capsent) {
        c->capsent = c->capsent ? c->capsent * 2 : 16;
        c->sent = xrealloc(c->sent, c->capsent * sizeof *c->sent);
    }
    /* trim and collapse white space */
    while (b > a && is_space_byte((unsigned char)s[b - 1]))
        b--;
    char *t = xmalloc(b - a + 1);
    size_t k = 0;
    bool space = false;
    for (size_t i = a; i < b; i++) {
        if (is_space_byte((unsigned char)s[i])) {
            space = true;
            continue;
        }
        if (space && k > 0)
            t[k++] = ' ';
        space = false;
        t[k++] = s[i];
    }
    t[k] = '\0';
    readability_sentence *r = &c->sent[c->nsent++];
    r->text = t;
    r->line = line;
    r->words = words;
    r->fk_grade = 0.39 * (double)words + 11.8 * (double)syllables / (double)words - 15.59;
}

/* Split [S, S+N) into sentences. LINE: the source line of S, or 0. */
static void split_block(collector *c, const char *s, size_t n, int line)
{
    size_t i = 0;
    size_t seg = 0;           /* where the current sentence's text may start */
    size_t first = 0;         /* its first byte, once it has a word */
    int first_line = 0;
    size_t words = 0, syl = 0, poly = 0;
    int cur_line = line;

    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n') {
            if (line > 0)
                cur_line++;
            /* a blank line (only white space between two newlines) */
            size_t j = i + 1;
            while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
                j++;
            if (j < n && s[j] == '\n' && words > 0) {
                add_sentence(c, s, first, i, first_line, words, syl, poly);
                words = syl = poly = 0;
                seg = j;
            }
            i++;
            continue;
        }
        size_t a, b;
        uint32_t cp;
        size_t l = u8_decode((const unsigned char *)s + i, (const unsigned char *)s + n, &cp);
        if (is_word_cp(cp) && next_word(s, n, i, &a, &b)) {
            if (words == 0) {
                first = seg;
                while (first < a && is_space_byte((unsigned char)s[first]))
                    first++;
                first_line = cur_line;
            }
            int ws = word_syllables(s + a, b - a);
            words++;
            syl += (size_t)ws;
            if (ws >= 3)
                poly++;
            i = b;
            continue;
        }
        /* only . ! ? or a non-ASCII mark (U+2026) can end a sentence */
        size_t j = ch < 0x80 && ch != '.' && ch != '!' && ch != '?' ? i : sentence_end(s, n, i);
        if (j != i) {
            if (words > 0) {
                add_sentence(c, s, first, j, first_line, words, syl, poly);
                words = syl = poly = 0;
            }
            seg = j;
            i = j;
            continue;
        }
        i += l;
    }
    if (words > 0)
        add_sentence(c, s, first, n, first_line, words, syl, poly);
}

void readability_split(const char *s, size_t n, int line, readability_span_fn fn, void *arg)
{
    readability_stats st = {0};
    collector c = {.stats = &st, .fn = fn, .arg = arg};
    split_block(&c, s, n, line);
}

/* ---- measures ---- */

void readability_finish(readability_stats *s)
{
    s->flesch_reading_ease = s->fk_grade = s->smog = s->words_per_sentence = 0.0;
    if (s->words == 0 || s->sentences == 0)
        return;
    double w = (double)s->words, sn = (double)s->sentences, syl = (double)s->syllables;
    double wps = w / sn, spw = syl / w;
    s->words_per_sentence = wps;
    s->flesch_reading_ease = 206.835 - 1.015 * wps - 84.6 * spw;
    s->fk_grade = 0.39 * wps + 11.8 * spw - 15.59;
    s->smog = 1.0430 * sqrt((double)s->polysyllables * 30.0 / sn) + 3.1291;
}

readability_stats readability_text(const char *text)
{
    readability_stats st = {0};
    if (text) {
        collector c = {.stats = &st};
        split_block(&c, text, strlen(text), 0);
    }
    readability_finish(&st);
    return st;
}

/* ---- documents ---- */

/* The walk follows the tree's own links in document order rather than a
 * cmark_iter: one iterator allocated per block cost more than the block. */
void readability_block_text(cmark_node *block, strbuf *b)
{
    cmark_node *n = block;
    for (;;) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            const char *lit = cmark_node_get_literal(n);
            if (lit)
                sb_puts(b, lit);
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            sb_add(b, "\n", 1);
        }
        /* an image's description is not read; inline HTML has no children;
           emphasis, links and custom inlines are read through */
        cmark_node *down = t == CMARK_NODE_IMAGE ? NULL : cmark_node_first_child(n);
        if (down) {
            n = down;
            continue;
        }
        while (n != block && !cmark_node_next(n))
            n = cmark_node_parent(n);
        if (n == block)
            break;
        n = cmark_node_next(n);
    }
}

static int sentence_cmp(const void *pa, const void *pb)
{
    const readability_sentence *a = pa, *b = pb;
    if (a->fk_grade != b->fk_grade)
        return a->fk_grade > b->fk_grade ? -1 : 1;
    if (a->words != b->words)
        return a->words > b->words ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

typedef struct {
    readability_sentence s;
    size_t seq;
} ranked;

static int ranked_cmp(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    int r = sentence_cmp(&a->s, &b->s);
    if (r)
        return r;
    return a->seq < b->seq ? -1 : a->seq > b->seq;  /* document order: qsort is not stable */
}

void readability_document(cmark_node *root, size_t max_hardest, readability_report *out)
{
    memset(out, 0, sizeof *out);
    if (!root) {
        readability_finish(&out->stats);
        return;
    }
    bool keep = max_hardest > 0;
    collector c = {.stats = &out->stats, .keep = keep};

    strbuf b = {0};
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t != CMARK_NODE_PARAGRAPH && t != CMARK_NODE_HEADING)
            continue;
        b.len = 0;
        if (b.data)
            b.data[0] = '\0';
        readability_block_text(n, &b);
        int line = cmark_node_get_start_line(n);
        if (line < 0)
            line = 0;
        if (b.len > 0)
            split_block(&c, b.data, b.len, line);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
    sb_free(&b);
    readability_finish(&out->stats);

    if (!keep || c.nsent == 0) {
        free(c.sent);
        return;
    }
    ranked *r = xmalloc(c.nsent * sizeof *r);
    for (size_t i = 0; i < c.nsent; i++) {
        r[i].s = c.sent[i];
        r[i].seq = i;
    }
    qsort(r, c.nsent, sizeof *r, ranked_cmp);
    size_t keepn = c.nsent < max_hardest ? c.nsent : max_hardest;
    for (size_t i = 0; i < c.nsent; i++) {
        if (i < keepn)
            c.sent[i] = r[i].s;
        else
            free(r[i].s.text);
    }
    free(r);
    out->hardest = xrealloc(c.sent, keepn * sizeof *c.sent);
    out->nhardest = keepn;
}

void readability_report_free(readability_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhardest; i++)
        free(r->hardest[i].text);
    free(r->hardest);
    r->hardest = NULL;
    r->nhardest = 0;
}

