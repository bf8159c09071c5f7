using Lethe.Portal.Domain.Work;

namespace Lethe.Portal.Web.DemoModel;

/// <summary>Registers the embedded demo model: options (<c>Lethe:Demo</c>), status board, background build, answerer, home queue.</summary>
public static class DemoModelServiceCollectionExtensions
{
    public static IServiceCollection AddPortalDemoModel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoModelOptions>().Bind(configuration.GetSection(DemoModelOptions.SectionName));
        services.AddSingleton(provider => new DemoModelStatusBoard(DemoModelStatus.NotStarted(
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoModelOptions>>().Value.ModelPreset, "",
            "The portal is starting.")));
        services.AddSingleton<IDemoModelStatus>(provider => provider.GetRequiredService<DemoModelStatusBoard>());
        services.AddSingleton<IDemoModelAnswerer, DemoModelAnswerer>();
        services.AddHostedService<DemoModelBuildService>();
        services.AddScoped<IWorkQueueSource, DemoModelQueueSource>();
        return services;
    }
}
