using MudBlazor;

namespace Lethe.Portal.Web.Components.Layout;

/// <summary>The portal's MudBlazor theme (light and dark palettes).</summary>
public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f4a8a",
            Secondary = "#00897b",
            AppbarBackground = "#2b3266",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            Secondary = "#4db6ac",
        },
    };
}
