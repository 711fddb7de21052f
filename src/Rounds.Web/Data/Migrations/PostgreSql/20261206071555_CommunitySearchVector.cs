using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CommunitySearchVector : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Board search (docs/decisions/0065): each post's tsvector is stored, so a search neither parses a body again
            // to rank it nor to check it; a topic's first post holds the title (weight A) with its body (weight D), so
            // the words of a query may be found across both, as on SQLite. A trigger keeps it, as FTS5's do there.
            migrationBuilder.Sql("""ALTER TABLE "CommunityPosts" ADD COLUMN "SearchVector" tsvector;""");
            migrationBuilder.Sql("""
                CREATE FUNCTION "CommunityPosts_SearchVector"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW."SearchVector" :=
                        setweight(to_tsvector('english'::regconfig, CASE WHEN NEW."Number" = 1 THEN coalesce((SELECT t."Title" FROM "CommunityTopics" t WHERE t."Id" = NEW."TopicId"), '') ELSE '' END), 'A')
                        || setweight(to_tsvector('english'::regconfig, NEW."Body"), 'D');
                    RETURN NEW;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunityPosts_SearchVector" BEFORE INSERT OR UPDATE OF "Body", "Number", "TopicId" ON "CommunityPosts"
                FOR EACH ROW EXECUTE FUNCTION "CommunityPosts_SearchVector"();
                """);
            migrationBuilder.Sql("""
                UPDATE "CommunityPosts" p SET "SearchVector" =
                    setweight(to_tsvector('english'::regconfig, CASE WHEN p."Number" = 1 THEN t."Title" ELSE '' END), 'A')
                    || setweight(to_tsvector('english'::regconfig, p."Body"), 'D')
                FROM "CommunityTopics" t WHERE t."Id" = p."TopicId";
                """);
            migrationBuilder.Sql("""CREATE INDEX "IX_CommunityPosts_SearchVector" ON "CommunityPosts" USING GIN ("SearchVector");""");
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_CommunityPosts_Search";""");
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_CommunityTopics_Search";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "CommunityPosts_SearchVector" ON "CommunityPosts";""");
            migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "CommunityPosts_SearchVector"();""");
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_CommunityPosts_SearchVector";""");
            migrationBuilder.Sql("""ALTER TABLE "CommunityPosts" DROP COLUMN IF EXISTS "SearchVector";""");
            migrationBuilder.Sql("""CREATE INDEX "IX_CommunityPosts_Search" ON "CommunityPosts" USING GIN (to_tsvector('english'::regconfig, "Body"));""");
            migrationBuilder.Sql("""CREATE INDEX "IX_CommunityTopics_Search" ON "CommunityTopics" USING GIN (to_tsvector('english'::regconfig, "Title"));""");
        }
    }
}
