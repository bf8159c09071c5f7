namespace Lethe.Portal.Domain.Work;

/// <summary>Days-left wording for deadlines: "due today", "3 days left", "overdue by 2 days" (calendar days, UTC).</summary>
public static class DeadlineText
{
    /// <summary>Whole calendar days from <paramref name="now"/> to <paramref name="due"/>; negative when overdue.</summary>
    public static int DaysLeft(DateTimeOffset due, DateTimeOffset now) =>
        DateOnly.FromDateTime(due.UtcDateTime).DayNumber - DateOnly.FromDateTime(now.UtcDateTime).DayNumber;

    public static string Describe(DateTimeOffset due, DateTimeOffset now)
    {
        var days = DaysLeft(due, now);
        return days switch
        {
            0 => "due today",
            1 => "1 day left",
            > 1 => $"{days} days left",
            -1 => "overdue by 1 day",
            _ => $"overdue by {-days} days",
        };
    }

    public static bool IsOverdue(DateTimeOffset due, DateTimeOffset now) => DaysLeft(due, now) < 0;
}
