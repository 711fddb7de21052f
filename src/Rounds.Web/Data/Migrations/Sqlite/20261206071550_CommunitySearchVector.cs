using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommunitySearchVector : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Board search ranks the newest matches (docs/decisions/0065): newest is the FTS5 table's own order, so its
            // rows are written again oldest first, and a post moved to another topic is indexed again with its new title.
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "CommunitySearch_Update";""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunitySearch_Update" AFTER UPDATE OF "Body", "Number", "TopicId" ON "CommunityPosts" BEGIN
                    DELETE FROM "CommunitySearch" WHERE "PostId" = old."Id";
                    INSERT INTO "CommunitySearch" ("PostId", "Title", "Body")
                    SELECT new."Id", CASE WHEN new."Number" = 1 THEN t."Title" ELSE '' END, new."Body" FROM "CommunityTopics" t WHERE t."Id" = new."TopicId";
                END;
                """);
            migrationBuilder.Sql("""DELETE FROM "CommunitySearch";""");
            migrationBuilder.Sql("""
                INSERT INTO "CommunitySearch" ("PostId", "Title", "Body")
                SELECT p."Id", CASE WHEN p."Number" = 1 THEN t."Title" ELSE '' END, p."Body" FROM "CommunityPosts" p JOIN "CommunityTopics" t ON t."Id" = p."TopicId"
                ORDER BY p."CreatedAt", p."Id";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "CommunitySearch_Update";""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunitySearch_Update" AFTER UPDATE OF "Body", "Number" ON "CommunityPosts" BEGIN
                    DELETE FROM "CommunitySearch" WHERE "PostId" = old."Id";
                    INSERT INTO "CommunitySearch" ("PostId", "Title", "Body")
                    SELECT new."Id", CASE WHEN new."Number" = 1 THEN t."Title" ELSE '' END, new."Body" FROM "CommunityTopics" t WHERE t."Id" = new."TopicId";
                END;
                """);
        }
    }
}
