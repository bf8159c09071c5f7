namespace Lethe.Engine.Evaluation.Text;

/// <summary>
/// NLTK's <c>PorterStemmer</c> in its default NLTK_EXTENSIONS mode (Porter 1980 plus Martin Porter's and NLTK's
/// departures): the irregular-form pool, words of length ≤ 2 left alone, 'ies'/'ied' on 4-letter words → 'ie',
/// the (*c and not c) Y → I rule, ALLI handled first and re-run, BLI → BLE, FULLI → FUL, LOGI → LOG (measure taken
/// on the word without 'ogi'), and the two-letter vc form of condition *o. rouge_score stems with exactly this.
/// A rule list is applied like NLTK's <c>_apply_rule_list</c>: the first rule whose suffix matches decides, and a
/// failed condition stops the list.
/// </summary>
public sealed class PorterStemmer
{
    private const string DoubleConsonantSuffix = "*d";

    private static readonly Dictionary<string, string> IrregularForms = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["news"] = "news", ["innings"] = "inning", ["inning"] = "inning", ["outings"] = "outing",
        ["outing"] = "outing", ["cannings"] = "canning", ["canning"] = "canning", ["howe"] = "howe",
        ["proceed"] = "proceed", ["exceed"] = "exceed", ["succeed"] = "succeed",
    };

    private readonly record struct Rule(string Suffix, string Replacement, Func<string, bool>? Condition);

    /// <summary>Stems one word; the word is lower-cased first (Python <c>str.lower</c> on ASCII input).</summary>
    public string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var stem = word.ToLowerInvariant();
        if (IrregularForms.TryGetValue(word, out var irregular))
        {
            return irregular;
        }
        if (word.Length <= 2)
        {
            return stem;
        }
        stem = Step1a(stem);
        stem = Step1b(stem);
        stem = Step1c(stem);
        stem = Step2(stem);
        stem = Step3(stem);
        stem = Step4(stem);
        stem = Step5a(stem);
        return Step5b(stem);
    }

    /// <summary>A consonant is a letter other than a, e, i, o, u, and other than y preceded by a consonant.</summary>
    private static bool IsConsonant(string word, int i) => word[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !IsConsonant(word, i - 1),
        _ => true,
    };

    /// <summary>Porter's measure m of [C](VC){m}[V]: the number of vowel→consonant transitions.</summary>
    private static int Measure(string stem)
    {
        var count = 0;
        for (var i = 1; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i - 1) && IsConsonant(stem, i))
            {
                count++;
            }
        }
        return count;
    }

    private static bool HasPositiveMeasure(string stem) => Measure(stem) > 0;

    private static bool ContainsVowel(string stem)
    {
        for (var i = 0; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Condition *d: the word ends with a double consonant.</summary>
    private static bool EndsDoubleConsonant(string word) =>
        word.Length >= 2 && word[^1] == word[^2] && IsConsonant(word, word.Length - 1);

    /// <summary>Condition *o: ends consonant-vowel-consonant with the last not w, x or y; NLTK also accepts a 2-letter vc word.</summary>
    private static bool EndsCvc(string word) =>
        (word.Length >= 3 && IsConsonant(word, word.Length - 3) && !IsConsonant(word, word.Length - 2)
            && IsConsonant(word, word.Length - 1) && word[^1] is not ('w' or 'x' or 'y'))
        || (word.Length == 2 && !IsConsonant(word, 0) && IsConsonant(word, 1));

    private static string ReplaceSuffix(string word, string suffix, string replacement) =>
        string.Concat(word.AsSpan(0, word.Length - suffix.Length), replacement);

    private static string ApplyRuleList(string word, IEnumerable<Rule> rules)
    {
        foreach (var (suffix, replacement, condition) in rules)
        {
            if (suffix == DoubleConsonantSuffix && EndsDoubleConsonant(word))
            {
                var stem = word[..^2];
                return condition is null || condition(stem) ? stem + replacement : word;
            }
            if (word.EndsWith(suffix, StringComparison.Ordinal))
            {
                var stem = word[..^suffix.Length];
                return condition is null || condition(stem) ? stem + replacement : word;
            }
        }
        return word;
    }

    /// <summary>Step 1a: SSES → SS, IES → I (4-letter 'ies' → 'ie'), SS → SS, S → ''.</summary>
    private static string Step1a(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length == 4)
        {
            return ReplaceSuffix(word, "ies", "ie");
        }
        return ApplyRuleList(word, [new("sses", "ss", null), new("ies", "i", null), new("ss", "ss", null), new("s", "", null)]);
    }

    /// <summary>Step 1b: IED → IE/I (NLTK), (m>0) EED → EE, (*v*) ED/ING → '' followed by the AT/BL/IZ/*d/*o repairs.</summary>
    private static string Step1b(string word)
    {
        if (word.EndsWith("ied", StringComparison.Ordinal))
        {
            return ReplaceSuffix(word, "ied", word.Length == 4 ? "ie" : "i");
        }
        if (word.EndsWith("eed", StringComparison.Ordinal))
        {
            var stem = word[..^3];
            return Measure(stem) > 0 ? stem + "ee" : word;
        }
        string? intermediate = null;
        foreach (var suffix in (string[])["ed", "ing"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && ContainsVowel(word[..^suffix.Length]))
            {
                intermediate = word[..^suffix.Length];
                break;
            }
        }
        if (intermediate is null)
        {
            return word;
        }
        var last = intermediate[^1];
        return ApplyRuleList(intermediate,
        [
            new("at", "ate", null),
            new("bl", "ble", null),
            new("iz", "ize", null),
            new(DoubleConsonantSuffix, last.ToString(), _ => last is not ('l' or 's' or 'z')),
            new("", "e", stem => Measure(stem) == 1 && EndsCvc(stem)),
        ]);
    }

    /// <summary>Step 1c (NLTK): (*c and not c) Y → I, i.e. y after a consonant that is not the whole stem.</summary>
    private static string Step1c(string word) =>
        ApplyRuleList(word, [new("y", "i", stem => stem.Length > 1 && IsConsonant(stem, stem.Length - 1))]);

    /// <summary>Step 2: (m>0) double suffixes → single ones (ATIONAL → ATE, …, FULLI → FUL, LOGI → LOG).</summary>
    private static string Step2(string word)
    {
        if (word.EndsWith("alli", StringComparison.Ordinal) && HasPositiveMeasure(word[..^4]))
        {
            return Step2(ReplaceSuffix(word, "alli", "al"));
        }
        Func<string, bool> positive = HasPositiveMeasure;
        return ApplyRuleList(word,
        [
            new("ational", "ate", positive), new("tional", "tion", positive), new("enci", "ence", positive),
            new("anci", "ance", positive), new("izer", "ize", positive), new("bli", "ble", positive),
            new("alli", "al", positive), new("entli", "ent", positive), new("eli", "e", positive),
            new("ousli", "ous", positive), new("ization", "ize", positive), new("ation", "ate", positive),
            new("ator", "ate", positive), new("alism", "al", positive), new("iveness", "ive", positive),
            new("fulness", "ful", positive), new("ousness", "ous", positive), new("aliti", "al", positive),
            new("iviti", "ive", positive), new("biliti", "ble", positive), new("fulli", "ful", positive),
            new("logi", "log", _ => word.Length >= 3 && HasPositiveMeasure(word[..^3])),
        ]);
    }

    /// <summary>Step 3: (m>0) ICATE → IC, ATIVE → '', ALIZE → AL, ICITI → IC, ICAL → IC, FUL → '', NESS → ''.</summary>
    private static string Step3(string word)
    {
        Func<string, bool> positive = HasPositiveMeasure;
        return ApplyRuleList(word,
        [
            new("icate", "ic", positive), new("ative", "", positive), new("alize", "al", positive),
            new("iciti", "ic", positive), new("ical", "ic", positive), new("ful", "", positive), new("ness", "", positive),
        ]);
    }

    /// <summary>Step 4: (m>1) strip AL, ANCE, ENCE, ER, IC, ABLE, IBLE, ANT, EMENT, MENT, ENT, (S|T)ION, OU, ISM, ATE, ITI, OUS, IVE, IZE.</summary>
    private static string Step4(string word)
    {
        Func<string, bool> measureAboveOne = stem => Measure(stem) > 1;
        return ApplyRuleList(word,
        [
            new("al", "", measureAboveOne), new("ance", "", measureAboveOne), new("ence", "", measureAboveOne),
            new("er", "", measureAboveOne), new("ic", "", measureAboveOne), new("able", "", measureAboveOne),
            new("ible", "", measureAboveOne), new("ant", "", measureAboveOne), new("ement", "", measureAboveOne),
            new("ment", "", measureAboveOne), new("ent", "", measureAboveOne),
            new("ion", "", stem => Measure(stem) > 1 && stem[^1] is ('s' or 't')),
            new("ou", "", measureAboveOne), new("ism", "", measureAboveOne), new("ate", "", measureAboveOne),
            new("iti", "", measureAboveOne), new("ous", "", measureAboveOne), new("ive", "", measureAboveOne),
            new("ize", "", measureAboveOne),
        ]);
    }

    /// <summary>Step 5a: (m>1) E → '', (m=1 and not *o) E → ''.</summary>
    private static string Step5a(string word)
    {
        if (!word.EndsWith('e'))
        {
            return word;
        }
        var stem = word[..^1];
        var measure = Measure(stem);
        return measure > 1 || (measure == 1 && !EndsCvc(stem)) ? stem : word;
    }

    /// <summary>Step 5b: (m>1 and *d and *L) → single letter, e.g. controll → control.</summary>
    private static string Step5b(string word) =>
        ApplyRuleList(word, [new("ll", "l", _ => Measure(word[..^1]) > 1)]);
}
