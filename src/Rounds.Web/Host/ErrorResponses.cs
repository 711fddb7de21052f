using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace Rounds.Web.Host;

/// <summary>
/// Errors reach people as the friendly page or a ProblemDetails, never as a stack trace, in every environment:
/// <c>./rounds serve</c> runs in Development, where ASP.NET Core puts its developer exception page in front of ours.
/// </summary>
internal static class ErrorResponses
{
    /// <summary>
    /// A form post without a valid antiforgery token is the caller's mistake: answer 400 before any handler runs,
    /// because reading the form of such a request throws. The status code pages then explain it.
    /// </summary>
    public static IApplicationBuilder UseAntiforgeryRejection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } && !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await next(context);
    });

    /// <summary>
    /// The error and status pages are pages: render them as a GET whatever the failed request was. Re-executed as a
    /// POST, the page would demand an antiforgery token itself, fail, and the original exception would escape.
    /// </summary>
    public static IApplicationBuilder UseErrorPagesAsGet(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<IExceptionHandlerPathFeature>() is not null || context.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            context.Request.Method = HttpMethods.Get;
        }

        return next(context);
    });
}

internal static class ErrorStatus
{
    /// <summary>
    /// The status an escaped exception answers. The server throws <see cref="BadHttpRequestException"/> for the
    /// caller's mistakes (a body over the size limit is 413, a malformed one 400); those are not our failures.
    /// </summary>
    public static int Of(Exception exception) => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
}

/// <summary>
/// The last line: should an exception escape our handlers (an error page that fails itself), the developer
/// exception page asks its filters to show it; this one answers a bare 500 (or the exception's 4xx) instead.
/// The exception is still logged by the middleware.
/// </summary>
internal sealed class HideExceptionDetails(IProblemDetailsService problems) : IDeveloperPageExceptionFilter
{
    public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        var context = errorContext.HttpContext;
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        var status = ErrorStatus.Of(errorContext.Exception);
        context.Response.StatusCode = status;
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = status < 500 ? "The request is not valid." : "Something went wrong.", Detail = "Rounds could not finish what you asked; please try again." },
        });
        if (!written)
        {
            await context.Response.WriteAsync("Something went wrong. Please try again.");
        }
    }
}
