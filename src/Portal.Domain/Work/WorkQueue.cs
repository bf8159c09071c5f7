namespace Lethe.Portal.Domain.Work;

/// <summary>A list of things waiting for someone, shown on their home page (e.g. "Requests waiting for your approval").</summary>
/// <param name="Key">Stable key that <see cref="IWorkQueueSource"/> implementations fill (see <see cref="WorkQueueKeys"/>).</param>
/// <param name="Title">Heading on the home page.</param>
/// <param name="EmptyText">What the page says when nothing is waiting.</param>
public sealed record WorkQueue(string Key, string Title, string EmptyText);

/// <summary>One thing waiting for the viewer.</summary>
/// <param name="Title">Short label ("REQ-0042 - erase Jane Doe").</param>
/// <param name="Detail">Secondary line (status, requester), or null.</param>
/// <param name="Href">Base-relative link to the page where the viewer acts on it.</param>
/// <param name="DueAt">Deadline when the item has one; the home page shows days left and flags overdue items.</param>
public sealed record WorkItem(string Title, string? Detail, string Href, DateTimeOffset? DueAt = null);

/// <summary>The signed-in user a work queue is computed for.</summary>
public sealed record WorkViewer(string UserId, string UserName, IReadOnlySet<string> Roles);
