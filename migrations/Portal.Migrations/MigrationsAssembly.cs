namespace Lethe.Portal.Migrations;
/// <summary>Marker for the migrations assembly.</summary>
public static class MigrationsAssembly;
