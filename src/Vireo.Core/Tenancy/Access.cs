namespace Vireo.Core.Tenancy;

/// <summary>
/// Who may see and change a server or an image: the one place these rules live.
/// Servers (nova/policies/servers.py, default <c>PROJECT_READER_OR_ADMIN</c> / <c>PROJECT_MEMBER_OR_ADMIN</c>):
/// the owner project or an admin, for every operation. Images (glance/api/policy.py, glance/db/sqlalchemy/api.py
/// <c>_image_get</c> / <c>is_image_visible</c>): an admin sees all; others see their own project's, public ones,
/// and community ones when asked by id or with the <c>community</c> filter; shared ones are their owner's alone
/// here (no member API yet). Only the owner or an admin changes or deletes an image.
/// </summary>
public static class Access
{
    public static bool CanSeeServer(RequestContext context, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instance);
        return context.IsAdmin || context.OwnsProject(instance.ProjectId);
    }

    /// <summary>Whether the caller may read the image when it names it by id (show, download, boot from it).</summary>
    public static bool CanSeeImage(RequestContext context, ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(image);
        return context.IsAdmin
            || context.OwnsProject(image.Owner)
            || image.Visibility is ImageVisibility.Public or ImageVisibility.Community;
    }

    /// <summary>
    /// Whether the image is in the caller's list (Glance's default list: own, public, and shared-with-me;
    /// community only when the <c>visibility=community</c> filter asks for it). An admin lists all.
    /// </summary>
    public static bool ListsImage(RequestContext context, ImageRecord image, ImageVisibility? visibilityFilter)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(image);
        if (visibilityFilter is { } wanted && image.Visibility != wanted)
        {
            return false;
        }

        if (context.IsAdmin || context.OwnsProject(image.Owner))
        {
            return true;
        }

        return image.Visibility == ImageVisibility.Public
            || (image.Visibility == ImageVisibility.Community && visibilityFilter == ImageVisibility.Community);
    }

    /// <summary>Whether the caller may change or delete an image it can see: its owner or an admin.</summary>
    public static bool CanChangeImage(RequestContext context, ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(image);
        return context.IsAdmin || context.OwnsProject(image.Owner);
    }

    /// <summary>
    /// Refuses a visibility the caller may not give an image it owns: public needs Glance's
    /// <c>publicize_image</c> (admin); private, shared and community are the owner's choice.
    /// </summary>
    public static void EnsureMayGive(RequestContext context, ImageVisibility visibility)
    {
        if (visibility == ImageVisibility.Public)
        {
            Policy.Enforce(context, Policy.PublicizeImage);
        }
    }
}
