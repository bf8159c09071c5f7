using Lethe.Portal.Data;
using Lethe.Portal.Web.Composition;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalData();
builder.AddPortalWeb();

var app = builder.Build();
await app.InitialisePortalDatabaseAsync();
app.UsePortalWeb();
app.Run();

/// <summary>Entry point; public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
