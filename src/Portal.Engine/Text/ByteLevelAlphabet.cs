namespace Lethe.Engine.Text;

/// <summary>
/// GPT-2's reversible byte-to-character map used by byte-level BPE: printable Latin-1 bytes map to themselves,
/// the other 68 bytes map to U+0100.. in byte order, so every token is a printable string with no whitespace.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildTable();
    private static readonly Dictionary<char, byte> CharToByteTable =
        ByteToCharTable.Select((c, b) => (c, b)).ToDictionary(p => p.c, p => (byte)p.b);

    /// <summary>The 256 byte symbols in byte order (index = byte value).</summary>
    public static IReadOnlyList<char> Symbols => ByteToCharTable;

    public static char ToChar(byte value) => ByteToCharTable[value];

    public static bool TryToByte(char symbol, out byte value) => CharToByteTable.TryGetValue(symbol, out value);

    /// <summary>UTF-8 bytes of <paramref name="text"/> written as byte-level symbols.</summary>
    public static string Encode(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return string.Create(bytes.Length, bytes, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = ByteToCharTable[source[i]];
            }
        });
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        var isPrintable = new bool[256];
        for (var b = '!'; b <= '~'; b++) { isPrintable[b] = true; }
        for (var b = '\u00A1'; b <= '\u00AC'; b++) { isPrintable[b] = true; }
        for (var b = '\u00AE'; b <= '\u00FF'; b++) { isPrintable[b] = true; }
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            table[b] = isPrintable[b] ? (char)b : (char)next++;
        }
        return table;
    }
}
