namespace Lethe.Portal.Domain.Tests;
public class PlaceholderTests { [Fact] public void Builds() => Assert.True(true); }
