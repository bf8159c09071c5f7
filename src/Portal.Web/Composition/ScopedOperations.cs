namespace Lethe.Portal.Web.Composition;

/// <summary>
/// Runs a unit of work in a fresh DI scope. Interactive components live as long as the browser tab; resolving a
/// DbContext-backed service per operation keeps every operation on fresh data and off a shared DbContext.
/// </summary>
public sealed class ScopedOperations(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
