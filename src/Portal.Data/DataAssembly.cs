namespace Lethe.Portal.Data;
/// <summary>Marker for the data assembly.</summary>
public static class DataAssembly;
