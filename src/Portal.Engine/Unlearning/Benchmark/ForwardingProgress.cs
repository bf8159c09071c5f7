namespace Lethe.Engine.Unlearning.Benchmark;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler on the reporting thread, in order (unlike Progress&lt;T&gt;, which posts).</summary>
internal sealed class ForwardingProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
