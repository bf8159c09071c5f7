namespace Lethe.Engine.DemoWorld;

/// <summary>A fictitious country of the demo world.</summary>
internal sealed record Country(
    string Name, string Language, string Currency, string Capital, IReadOnlyList<string> Cities, string River, string Mountain);

/// <summary>The countries and cities the demo world's people come from; its facts are the world's general knowledge.</summary>
internal sealed class WorldGeography
{
    public WorldGeography(WordForge forge, int countries, int citiesPerCountry)
    {
        Countries = Enumerable.Range(0, countries).Select(_ =>
        {
            var cities = Enumerable.Range(0, citiesPerCountry).Select(_ => forge.CityName()).ToArray();
            return new Country(
                Name: forge.CountryName(),
                Language: forge.LanguageName(),
                Currency: $"{forge.Word()} {forge.Pick(WorldLexicon.CurrencyKinds)}",
                Capital: cities[0],
                Cities: cities,
                River: $"{forge.Word()} River",
                Mountain: $"Mount {forge.Word()}");
        }).ToArray();
        AllCities = Countries.SelectMany(c => c.Cities).ToArray();
    }

    public IReadOnlyList<Country> Countries { get; }

    public IReadOnlyList<string> AllCities { get; }
}
