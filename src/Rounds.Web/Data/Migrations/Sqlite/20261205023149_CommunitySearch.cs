using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommunitySearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text search (Features/Community/BoardSearch.cs): an FTS5 table kept in step with the posts by
            // triggers. A topic's title is indexed with its first post only, so a title match finds the topic once.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "CommunitySearch" USING fts5("PostId" UNINDEXED, "Title", "Body", tokenize = 'porter unicode61');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunitySearch_Insert" AFTER INSERT ON "CommunityPosts" BEGIN
                    INSERT INTO "CommunitySearch" ("PostId", "Title", "Body")
                    SELECT new."Id", CASE WHEN new."Number" = 1 THEN t."Title" ELSE '' END, new."Body" FROM "CommunityTopics" t WHERE t."Id" = new."TopicId";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunitySearch_Update" AFTER UPDATE OF "Body", "Number" ON "CommunityPosts" BEGIN
                    DELETE FROM "CommunitySearch" WHERE "PostId" = old."Id";
                    INSERT INTO "CommunitySearch" ("PostId", "Title", "Body")
                    SELECT new."Id", CASE WHEN new."Number" = 1 THEN t."Title" ELSE '' END, new."Body" FROM "CommunityTopics" t WHERE t."Id" = new."TopicId";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunitySearch_Delete" AFTER DELETE ON "CommunityPosts" BEGIN
                    DELETE FROM "CommunitySearch" WHERE "PostId" = old."Id";
                END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "CommunitySearch" ("PostId", "Title", "Body")
                SELECT p."Id", CASE WHEN p."Number" = 1 THEN t."Title" ELSE '' END, p."Body" FROM "CommunityPosts" p JOIN "CommunityTopics" t ON t."Id" = p."TopicId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "CommunitySearch_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "CommunitySearch_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "CommunitySearch_Delete";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "CommunitySearch";""");
        }
    }
}
