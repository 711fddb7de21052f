using System.Collections;
using System.Reflection;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Host;

/// <summary>
/// Checks every request gets before any page or endpoint reads it: the size of its body, where a cookie-signed
/// API call came from, and what its text fields contain. Done once here so that no handler can forget them.
/// </summary>
internal static class RequestGuards
{
    /// <summary>Kestrel's own default; also what we hold a server without a limit of its own (the test host) to.</summary>
    public const long DefaultMaxBodyBytes = 30_000_000;

    /// <summary>Why a request was refused, for the status page to show people instead of a generic text.</summary>
    public const string RefusalItem = "Rounds.Refusal";

    /// <summary>
    /// A body larger than the endpoint allows (<see cref="IRequestSizeLimitMetadata"/>, else the server's limit) is
    /// answered 413 before anyone reads it. A body without a declared length that runs over is stopped by the
    /// server while it is read, which throws <see cref="BadHttpRequestException"/>; the error handlers answer its 413.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? feature?.MaxRequestBodySize ?? DefaultMaxBodyBytes;
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        // A status page re-executed for this request must not be refused for the body it was refused for.
        if (context.Request.ContentLength > limit && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null)
        {
            context.Items[RefusalItem] = $"The form or file was larger than the {limit / 1_000_000:N0} MB Rounds accepts here.";
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        await next(context);
    });

    /// <summary>
    /// A browser sends the session cookie with a form posted from any other site, as <c>text/plain</c>,
    /// <c>multipart/form-data</c> or <c>application/x-www-form-urlencoded</c>, without asking the server first. An
    /// API call that changes something and is signed by the cookie alone must therefore either carry the antiforgery
    /// token (header <c>RequestVerificationToken</c>) or send a type no plain form can (JSON), which the browser
    /// only lets another site send after asking. Calls with a bearer token are not sent by browsers on their own.
    /// </summary>
    public static IApplicationBuilder UseCrossSiteApiGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api/v1")
            && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            && string.IsNullOrEmpty(request.Headers.Authorization)
            && request.Cookies.Count > 0
            && IsFormLike(request.ContentType)
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            await Results.Problem(
                "A call signed by the session cookie must send JSON, or the page's request verification token in the RequestVerificationToken header; programs use a bearer token.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "The request could have come from another site.").ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    /// <summary>The body types a plain HTML form can send, and no body at all; all reach the server without a preflight.</summary>
    private static bool IsFormLike(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
            || media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Form posts (pages and API alike) with a control character in any field are refused before a page binds them
    /// (<see cref="TextRules"/>); the status page says which character. Files are not text and are not looked at.
    /// </summary>
    public static IApplicationBuilder UseFormTextGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) && context.Request.HasFormContentType)
        {
            // An endpoint may read the body itself (a CSV sent by curl is form-encoded unless told otherwise).
            context.Request.EnableBuffering();
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            foreach (var (key, values) in form)
            {
                foreach (var value in values)
                {
                    if ((TextRules.FirstRefused(value) ?? TextRules.FirstRefused(key)) is { } c)
                    {
                        context.Items[RefusalItem] = TextRules.ControlMessage(c);
                        if (context.Request.Path.StartsWithSegments("/api/v1"))
                        {
                            await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [key] = [TextRules.ControlMessage(c)] }, title: "The request is not valid.").ExecuteAsync(context);
                        }
                        else
                        {
                            context.Response.StatusCode = StatusCodes.Status400BadRequest;
                        }

                        return;
                    }
                }
            }
        }

        await next(context);
    });

    /// <summary>
    /// The API's JSON bodies, query and route values pass through model binding; any string in them (however deep,
    /// in lists too) with a control character is answered 400 with the field's name, before the use case runs.
    /// Services and the organization the access filter resolved are not input and are not looked at.
    /// </summary>
    public static async ValueTask<object?> RefuseControlCharactersAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var metadata = context.HttpContext.GetEndpoint()?.Metadata;
        var parameters = metadata?.GetMetadata<MethodInfo>()?.GetParameters();
        var bodyType = metadata?.GetMetadata<IAcceptsMetadata>()?.RequestType;
        for (var i = 0; i < context.Arguments.Count; i++)
        {
            var argument = context.Arguments[i];
            var name = parameters is not null && i < parameters.Length ? parameters[i].Name ?? $"argument{i}" : $"argument{i}";
            var isInput = argument is string or IEnumerable<string>
                || (argument is not null && argument.GetType() == bodyType)
                || (parameters is not null && i < parameters.Length && parameters[i].GetCustomAttribute<AsParametersAttribute>() is not null);
            if (isInput && FindControl(argument, name, depth: 0) is { } found)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [found.Path] = [TextRules.ControlMessage(found.Character)] }, title: "The request is not valid.");
            }
        }

        return await next(context);
    }

    private static (string Path, char Character)? FindControl(object? value, string path, int depth)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                return TextRules.FirstRefused(text) is { } c ? (path, c) : null;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if ((FindControl(entry.Key, path, depth + 1) ?? FindControl(entry.Value, $"{path}.{entry.Key}", depth + 1)) is { } inEntry)
                    {
                        return inEntry;
                    }
                }

                return null;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    if (FindControl(item, $"{path}[{index++}]", depth + 1) is { } inItem)
                    {
                        return inItem;
                    }
                }

                return null;
        }

        // Only our own input types are walked: a body, a record bound from the query, and what they hold.
        var type = value.GetType();
        if (depth > 8 || type.Assembly != typeof(RequestGuards).Assembly || !type.IsClass)
        {
            return null;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.CanRead
                && FindControl(property.GetValue(value), $"{path}.{char.ToLowerInvariant(property.Name[0])}{property.Name[1..]}", depth + 1) is { } inProperty)
            {
                return inProperty;
            }
        }

        return null;
    }
}
